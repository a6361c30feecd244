import { Alert, Badge, Button, Group, Input, MultiSelect, SegmentedControl, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Grant, type PermissionCatalog, type Role, type RoleKind } from '../../api/client';
import { isStalePreview, useWhatIf, type WhatIfRequest } from '../../api/whatif';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { applyServerError } from '../../lib/forms';
import { PermissionEditor } from './PermissionEditor';

export type RoleEditorValues = {
  name: string;
  description: string;
  kind: RoleKind;
  permissions: Grant[];
  /** The roles this role's holders may give (ids). */
  assignableRoleIds: string[];
};

/** The same grants, whatever their order (a missing scope is the empty one). */
export function sameGrants(a: Grant[], b: Grant[]): boolean {
  const text = (gs: Grant[]) =>
    gs
      .map((g) => `${g.key}:${g.scope ?? ''}`)
      .sort()
      .join(',');
  return text(a) === text(b);
}

/**
 * What the "Roles its holders may give" list offers: the roles the editor may give
 * (`mayGive`, the server's answer), and those already listed, so their names show.
 */
export function assignableOptions(roles: Role[], selected: string[], selfId?: string, selfLabel?: string) {
  return roles
    .filter((r) => r.mayGive || selected.includes(r.id))
    .map((r) => ({ value: r.id, label: r.id === selfId && selfLabel ? selfLabel : r.name }));
}

/** Whether a role with these permissions may add or move people (else its list gives nothing yet). */
const managesPeople = (permissions: Grant[]) => permissions.some((p) => p.key === 'users.create' || p.key === 'users.edit');

/**
 * The role form: name, description, kind and permissions. `onSubmit` does the request;
 * if it throws, the error lands on the field it names or above the form.
 *
 * Editing a saved role (`roleId`), a change of permissions or kind shows its what-if
 * preview before saving, and `onSubmit` gets the preview's version to send as
 * expectVersion; a save refused because access changed since (stale_preview) refreshes
 * the preview and asks to look again.
 */
export function RoleEditor({
  roleId,
  initial,
  catalog,
  roles = [],
  otherNames,
  readOnly = false,
  submitLabel,
  onSubmit,
  onCancel,
  extraActions,
}: {
  /** The saved role being edited (none: a new role, nothing to preview). */
  roleId?: string;
  initial: RoleEditorValues;
  catalog: PermissionCatalog;
  /** Every role, as the server shows them to the editor (with `mayGive`). */
  roles?: Role[];
  /** Names of the other roles, to catch a duplicate before asking the server. */
  otherNames: string[];
  readOnly?: boolean;
  submitLabel: string;
  /** `expectVersion`: the version of the what-if preview shown, when a change was previewed. */
  onSubmit: (values: RoleEditorValues, expectVersion?: string) => Promise<unknown>;
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

  const { permissions, kind } = form.values;
  const changesAccess = !!roleId && !readOnly && (kind !== initial.kind || !sameGrants(permissions, initial.permissions));
  const proposal: WhatIfRequest | null = changesAccess
    ? { role: { id: roleId, permissions, ...(kind !== initial.kind ? { kind } : {}) } }
    : null;
  const whatIf = useWhatIf(proposal);
  // The save was refused because access moved since the preview: shown until the next try.
  const [stale, setStale] = useState(false);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setStale(false);
    setSaving(true);
    try {
      await onSubmit({ ...values, name: values.name.trim(), description: values.description.trim() }, whatIf.version);
    } catch (e) {
      if (isStalePreview(e)) {
        setStale(true);
        whatIf.refetch();
        return;
      }
      // "permissions[3].scope" and the like belong to the permission list as a whole.
      const field = e instanceof ApiError ? e.field : undefined;
      setFormError(applyServerError(form, e, field?.startsWith('permissions') ? { [field]: 'permissions' } : {}));
    } finally {
      setSaving(false);
    }
  });

  const permissionError = form.errors.permissions;
  const client = form.values.kind === 'client';
  const listed = form.values.assignableRoleIds;

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
                onChange={(kind) => {
                  form.setFieldValue('kind', kind as RoleKind);
                  // A client (portal) role gives no roles: its list goes, visibly.
                  if (kind === 'client') form.setFieldValue('assignableRoleIds', []);
                }}
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
        <div>
          <Title order={2} size="h4" mb={4}>
            {t('assignable.title')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {client ? t('assignable.clientRole') : t('assignable.help')}
          </Text>
          <MultiSelect
            label={t('assignable.label')}
            placeholder={listed.length ? undefined : t('assignable.none')}
            data={assignableOptions(roles, listed, roleId, t('assignable.thisRole', { name: form.values.name || initial.name }))}
            searchable
            clearable
            disabled={readOnly || client}
            nothingFoundMessage={t('assignable.nothingFound')}
            maw={640}
            {...form.getInputProps('assignableRoleIds')}
          />
          {!client && listed.length > 0 && !managesPeople(form.values.permissions) && (
            <Text size="sm" c="orange" mt={4}>
              {t('assignable.needsUsers')}
            </Text>
          )}
        </div>
        <WhatIfPanel whatIf={whatIf} stale={stale} />
        <Group justify="flex-end">
          {extraActions}
          <Button variant="default" onClick={onCancel}>
            {readOnly ? t('editor.back') : t('cancel')}
          </Button>
          {!readOnly && (
            // Saved only with the preview of the change as it is now in view.
            <Button type="submit" loading={saving} disabled={whatIf.pending}>
              {submitLabel}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
