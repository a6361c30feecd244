import { ActionIcon, Anchor, Badge, Button, Center, Group, Loader, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconCopy, IconLock, IconPlus, IconTemplate, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, Route, Routes, useNavigate } from 'react-router-dom';
import { errorMessage, type Role } from '../../api/client';
import { useRoles } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { CloneRoleModal, DeleteRoleModal, TemplatePickerModal } from './RoleDialogs';
import { RoleEditorPage } from './RoleEditorPage';

/** Built-in roles first (in the server's order), then custom roles by name. */
export function sortRoles(roles: Role[]): Role[] {
  const builtIn = roles.filter((r) => r.builtIn);
  const custom = roles.filter((r) => !r.builtIn).sort((a, b) => a.name.localeCompare(b.name));
  return [...builtIn, ...custom];
}

function RoleList() {
  const roles = useRoles();
  const navigate = useNavigate();
  const [pickTemplate, setPickTemplate] = useState(false);
  const [cloning, setCloning] = useState<Role | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const list = sortRoles(roles.data?.items ?? []);

  return (
    <Stack gap="md">
      <PageHeader
        title="Roles"
        description="Each person has exactly one role. Built-in roles are fixed; custom roles are yours to shape."
        actions={
          <>
            <Button variant="default" leftSection={<IconTemplate size={18} />} onClick={() => setPickTemplate(true)}>
              From template
            </Button>
            <Button leftSection={<IconPlus size={18} />} component={Link} to="/roles/new">
              New role
            </Button>
          </>
        }
      />
      {roles.isError && <ErrorAlert message={errorMessage(roles.error)} />}
      {roles.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table highlightOnHover verticalSpacing="sm" aria-label="Roles">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Users</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th w={100}>
                  <VisuallyHidden>Actions</VisuallyHidden>
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
                          built-in
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{r.kind === 'client' ? 'Client' : 'Team'}</Table.Td>
                  <Table.Td>{r.userCount}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" lineClamp={2}>
                      {r.description}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Tooltip label="Clone">
                        <ActionIcon variant="subtle" aria-label={`Clone ${r.name}`} onClick={() => setCloning(r)}>
                          <IconCopy size={16} />
                        </ActionIcon>
                      </Tooltip>
                      {!r.builtIn && (
                        <Tooltip label="Delete">
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${r.name}`} onClick={() => setDeleting(r)}>
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
