import { Alert, Badge, Button, Group, SegmentedControl, Stack, Text, TextInput, Textarea, Title, Input } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Grant, type PermissionCatalog, type RoleKind } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { PermissionEditor } from './PermissionEditor';

export type RoleEditorValues = {
  name: string;
  description: string;
  kind: RoleKind;
  permissions: Grant[];
};

/**
 * The role form: name, description, kind and permissions. `onSubmit` does the request;
 * if it throws, the error lands on the field it names or above the form.
 */
export function RoleEditor({
  initial,
  catalog,
  otherNames,
  readOnly = false,
  submitLabel,
  onSubmit,
  onCancel,
  extraActions,
}: {
  initial: RoleEditorValues;
  catalog: PermissionCatalog;
  /** Names of the other roles, to catch a duplicate before asking the server. */
  otherNames: string[];
  readOnly?: boolean;
  submitLabel: string;
  onSubmit: (values: RoleEditorValues) => Promise<unknown>;
  onCancel: () => void;
  extraActions?: ReactNode;
}) {
  const { t } = useTranslation('roles');
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const taken = new Set(otherNames.map((n) => n.trim().toLowerCase()));
  const form = useForm<RoleEditorValues>({
    mode: 'controlled',
    initialValues: initial,
    validate: {
      name: (v) => {
        if (!v.trim()) return t('editor.nameRequired');
        if (taken.has(v.trim().toLowerCase())) return t('editor.nameTaken');
        return null;
      },
      permissions: (v) => (v.length ? null : t('editor.permissionsRequired')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setSaving(true);
    try {
      await onSubmit({ ...values, name: values.name.trim(), description: values.description.trim() });
    } catch (e) {
      // "permissions[3].scope" and the like belong to the permission list as a whole.
      const field = e instanceof ApiError ? e.field : undefined;
      setFormError(applyServerError(form, e, field?.startsWith('permissions') ? { [field]: 'permissions' } : {}));
    } finally {
      setSaving(false);
    }
  });

  const permissionError = form.errors.permissions;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {readOnly && (
          <Alert icon={<IconLock size={18} />} color="gray" variant="light" title={t('editor.readOnlyTitle')}>
            {t('editor.readOnly')}
          </Alert>
        )}
        <ErrorAlert message={formError} />
        <Group align="flex-start" grow wrap="wrap">
          <TextInput label={t('list.name')} disabled={readOnly} maw={420} data-autofocus {...form.getInputProps('name')} />
          <Input.Wrapper label={t('kind.label')} description={t('editor.kindHint')} maw={420}>
            <div>
              <SegmentedControl
                mt={4}
                disabled={readOnly}
                aria-label={t('kind.label')}
                data={[
                  { value: 'internal', label: t('editor.kindInternal') },
                  { value: 'client', label: t('kind.client') },
                ]}
                {...form.getInputProps('kind')}
              />
            </div>
          </Input.Wrapper>
        </Group>
        <Textarea
          label={t('list.descriptionColumn')}
          description={t('editor.descriptionHint')}
          autosize
          minRows={2}
          disabled={readOnly}
          {...form.getInputProps('description')}
        />
        <div>
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h4">
              {t('editor.permissions')}
            </Title>
            <Badge variant="light" tt="none" size="lg">
              {t('editor.selected', { count: form.values.permissions.length })}
            </Badge>
          </Group>
          {permissionError && (
            <Text c="red" size="sm" mb="xs" role="alert">
              {permissionError}
            </Text>
          )}
          <PermissionEditor
            catalog={catalog}
            value={form.values.permissions}
            onChange={(next) => {
              form.setFieldValue('permissions', next);
              form.clearFieldError('permissions');
            }}
            readOnly={readOnly}
          />
        </div>
        <Group justify="flex-end">
          {extraActions}
          <Button variant="default" onClick={onCancel}>
            {readOnly ? t('editor.back') : t('cancel')}
          </Button>
          {!readOnly && (
            <Button type="submit" loading={saving}>
              {submitLabel}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
