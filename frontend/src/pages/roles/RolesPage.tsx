import { ActionIcon, Alert, Anchor, Badge, Button, Center, Group, Loader, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconCopy, IconFileText, IconLock, IconPlus, IconTable, IconTemplate, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate } from 'react-router-dom';
import { errorMessage, type Role } from '../../api/client';
import { useRoles } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { CloneRoleModal, DeleteRoleModal, TemplatePickerModal } from './RoleDialogs';
import { useRoleDownloads } from './roleBook';
import { RoleEditorPage } from './RoleEditorPage';

/** Built-in roles first (in the server's order), then custom roles by name. */
export function sortRoles(roles: Role[]): Role[] {
  const builtIn = roles.filter((r) => r.builtIn);
  const custom = roles.filter((r) => !r.builtIn).sort((a, b) => a.name.localeCompare(b.name));
  return [...builtIn, ...custom];
}

function RoleList() {
  const { t } = useTranslation('roles');
  const roles = useRoles();
  const navigate = useNavigate();
  const [pickTemplate, setPickTemplate] = useState(false);
  const [cloning, setCloning] = useState<Role | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const list = sortRoles(roles.data?.items ?? []);
  const downloads = useRoleDownloads();

  return (
    <Stack gap="md">
      <PageHeader
        title={t('list.title')}
        description={t('list.intro')}
        actions={
          <>
            <Button variant="default" leftSection={<IconTemplate size={18} />} onClick={() => setPickTemplate(true)}>
              {t('list.fromTemplate')}
            </Button>
            <Button leftSection={<IconPlus size={18} />} component={Link} to="/roles/new">
              {t('newRole')}
            </Button>
          </>
        }
      />
      <Group gap="xs">
        <Button size="xs" variant="default" leftSection={<IconFileText size={16} />} loading={downloads.busy === 'pdf'} onClick={() => void downloads.download('pdf')}>
          {t('book.pdf')}
        </Button>
        <Button size="xs" variant="default" leftSection={<IconFileText size={16} />} loading={downloads.busy === 'markdown'} onClick={() => void downloads.download('markdown')}>
          {t('book.markdown')}
        </Button>
        <Button size="xs" variant="default" leftSection={<IconTable size={16} />} loading={downloads.busy === 'access'} onClick={() => void downloads.download('access')}>
          {t('book.access')}
        </Button>
      </Group>
      {downloads.error && (
        <Alert color="red" withCloseButton onClose={downloads.clearError}>
          {downloads.error}
        </Alert>
      )}
      {roles.isError && <ErrorAlert message={errorMessage(roles.error)} />}
      {roles.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table highlightOnHover verticalSpacing="sm" aria-label={t('list.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.name')}</Table.Th>
                <Table.Th>{t('kind.label')}</Table.Th>
                <Table.Th>{t('list.users')}</Table.Th>
                <Table.Th>{t('list.descriptionColumn')}</Table.Th>
                <Table.Th w={100}>
                  <VisuallyHidden>{t('list.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Anchor component={Link} to={`/roles/${r.id}`} fw={500}>
                        {r.name}
                      </Anchor>
                      {r.builtIn && (
                        <Badge size="xs" variant="light" color="gray" tt="none" leftSection={<IconLock size={10} />}>
                          {t('list.builtInBadge')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{r.kind === 'client' ? t('kind.client') : t('kind.team')}</Table.Td>
                  <Table.Td>{r.userCount}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" lineClamp={2}>
                      {r.description}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Tooltip label={t('clone')}>
                        <ActionIcon variant="subtle" aria-label={t('list.cloneLabel', { name: r.name })} onClick={() => setCloning(r)}>
                          <IconCopy size={16} />
                        </ActionIcon>
                      </Tooltip>
                      {!r.builtIn && (
                        <Tooltip label={t('delete')}>
                          <ActionIcon variant="subtle" color="red" aria-label={t('list.deleteLabel', { name: r.name })} onClick={() => setDeleting(r)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <TemplatePickerModal
        opened={pickTemplate}
        onClose={() => setPickTemplate(false)}
        onPick={(key) => {
          setPickTemplate(false);
          navigate(`/roles/new?template=${encodeURIComponent(key)}`);
        }}
      />
      <CloneRoleModal
        key={cloning?.id ?? 'none'}
        role={cloning}
        onClose={() => setCloning(null)}
        onCloned={(copy) => {
          setCloning(null);
          navigate(`/roles/${copy.id}`);
        }}
      />
      <DeleteRoleModal role={deleting} roles={list} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

export function RolesPage() {
  return (
    <Routes>
      <Route index element={<RoleList />} />
      <Route path="new" element={<RoleEditorPage />} />
      <Route path=":id" element={<RoleEditorPage />} />
    </Routes>
  );
}
