import { Badge, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage, type Role } from '../../api/client';
import { useCreateRole, usePermissions, useRoleTemplates, useRoles, useUpdateRole } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { plural } from '../../lib/format';
import { CloneRoleModal } from './RoleDialogs';
import { RoleEditor, type RoleEditorValues } from './RoleEditor';

/** /roles/new (optionally ?template=key) and /roles/:id. */
export function RoleEditorPage() {
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
  if (id && !role) return <ErrorAlert message="This role does not exist (any more)." />;
  const template = templateKey ? templates.data?.items.find((t) => t.key === templateKey) : undefined;

  const initial: RoleEditorValues = role
    ? { name: role.name, description: role.description, kind: role.kind, permissions: role.permissions }
    : template
      ? { name: template.name, description: template.description, kind: template.kind, permissions: template.permissions }
      : { name: '', description: '', kind: 'internal', permissions: [] };

  const otherNames = all.filter((r) => r.id !== role?.id).map((r) => r.name);
  const readOnly = !!role?.builtIn;

  const onSubmit = async (values: RoleEditorValues) => {
    if (role) {
      await update.mutateAsync({ id: role.id, body: values });
      notifications.show({ color: 'teal', message: `Role ${values.name} saved.` });
    } else {
      await create.mutateAsync(values);
      notifications.show({ color: 'teal', message: `Role ${values.name} created.` });
    }
    navigate('/roles');
  };

  const title = role ? role.name : template ? `New role from ${template.name}` : 'New role';

  return (
    <Stack gap="md" maw={1200}>
      <PageHeader
        title={title}
        description={
          role ? (
            <Group gap="xs" component="span">
              {role.builtIn && (
                <Badge variant="light" color="gray" tt="none" leftSection={<IconLock size={12} />}>
                  Built-in
                </Badge>
              )}
              <Text span c="dimmed">
                {plural(role.userCount, 'person', 'people')} with this role
              </Text>
            </Group>
          ) : template ? (
            `Pre-filled from the ${template.name} template. Adjust it, then create the role.`
          ) : (
            'Choose what people with this role may do.'
          )
        }
      />
      <RoleEditor
        key={role?.id ?? template?.key ?? 'blank'}
        initial={initial}
        catalog={catalog.data!}
        otherNames={otherNames}
        readOnly={readOnly}
        submitLabel={role ? 'Save role' : 'Create role'}
        onSubmit={onSubmit}
        onCancel={() => navigate('/roles')}
        extraActions={
          role && (
            <Button variant="default" leftSection={<IconCopy size={16} />} onClick={() => setCloning(role)}>
              Clone
            </Button>
          )
        }
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
    </Stack>
  );
}
