import { Badge, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage, type Role } from '../../api/client';
import { useCreateRole, usePermissions, useRoleTemplates, useRoles, useUpdateRole } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { CloneRoleModal } from './RoleDialogs';
import { RoleEditor, type RoleEditorValues } from './RoleEditor';
import { RoleHistory } from './RoleHistory';

/** /roles/new (optionally ?template=key) and /roles/:id. */
export function RoleEditorPage() {
  const { t } = useTranslation('roles');
  const { id } = useParams();
  const [search] = useSearchParams();
  const templateKey = search.get('template');
  const navigate = useNavigate();
  const catalog = usePermissions();
  const roles = useRoles();
  const templates = useRoleTemplates(!id && !!templateKey);
  const create = useCreateRole();
  const update = useUpdateRole();
  const [cloning, setCloning] = useState<Role | null>(null);
  const [rollbacks, setRollbacks] = useState(0); // a rollback reloads the form

  const pending = catalog.isPending || roles.isPending || (!id && !!templateKey && templates.isPending);
  const error = catalog.error ?? roles.error ?? (templateKey ? templates.error : null);
  if (error) return <ErrorAlert message={errorMessage(error)} />;
  if (pending) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }

  const all = roles.data?.items ?? [];
  const role = id ? all.find((r) => r.id === id) : undefined;
  if (id && !role) return <ErrorAlert message={t('editorPage.notFound')} />;
  const template = templateKey ? templates.data?.items.find((tp) => tp.key === templateKey) : undefined;

  const initial: RoleEditorValues = role
    ? { name: role.name, description: role.description, kind: role.kind, permissions: role.permissions, assignableRoleIds: role.assignableRoleIds }
    : template
      ? {
          name: template.name,
          description: template.description,
          kind: template.kind,
          permissions: template.permissions,
          assignableRoleIds: template.assignableRoleIds,
        }
      : { name: '', description: '', kind: 'internal', permissions: [], assignableRoleIds: [] };

  const otherNames = all.filter((r) => r.id !== role?.id).map((r) => r.name);
  const readOnly = !!role?.builtIn;

  const onSubmit = async (values: RoleEditorValues, expectVersion?: string) => {
    if (role) {
      await update.mutateAsync({ id: role.id, body: { ...values, ...(expectVersion ? { expectVersion } : {}) } });
      notifications.show({ color: 'teal', message: t('editorPage.saved', { name: values.name }) });
    } else {
      await create.mutateAsync(values);
      notifications.show({ color: 'teal', message: t('editorPage.created', { name: values.name }) });
    }
    navigate('/roles');
  };

  const title = role ? role.name : template ? t('editorPage.newFrom', { template: template.name }) : t('newRole');

  return (
    <Stack gap="md" maw={1200}>
      <PageHeader
        title={title}
        description={
          role ? (
            <Group gap="xs" component="span">
              {role.builtIn && (
                <Badge variant="light" color="gray" tt="none" leftSection={<IconLock size={12} />}>
                  {t('editorPage.builtIn')}
                </Badge>
              )}
              <Text span c="dimmed">
                {t('editorPage.people', { count: role.userCount })}
              </Text>
            </Group>
          ) : template ? (
            t('editorPage.prefilled', { template: template.name })
          ) : (
            t('editorPage.choose')
          )
        }
      />
      <RoleEditor
        key={`${role?.id ?? template?.key ?? 'blank'}:${rollbacks}`}
        roleId={role?.id}
        initial={initial}
        catalog={catalog.data!}
        roles={all}
        otherNames={otherNames}
        readOnly={readOnly}
        submitLabel={role ? t('editorPage.save') : t('editorPage.create')}
        onSubmit={onSubmit}
        onCancel={() => navigate('/roles')}
        extraActions={
          role && (
            <Button variant="default" leftSection={<IconCopy size={16} />} onClick={() => setCloning(role)}>
              {t('clone')}
            </Button>
          )
        }
      />
      {role && !role.builtIn && <RoleHistory role={role} onRolledBack={() => setRollbacks((n) => n + 1)} />}
      <CloneRoleModal
        key={cloning?.id ?? 'none'}
        role={cloning}
        onClose={() => setCloning(null)}
        onCloned={(copy) => {
          setCloning(null);
          navigate(`/roles/${copy.id}`);
        }}
      />
    </Stack>
  );
}
