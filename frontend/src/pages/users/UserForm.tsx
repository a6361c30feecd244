import { Alert, Button, Checkbox, Group, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailOff } from '@tabler/icons-react';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage, type Role, type User } from '../../api/client';
import { useCompanies } from '../../api/companies';
import { useCreateUser, usePasswordMinLength, useUpdateUser } from '../../api/hooks';
import type { UserWithPassword } from '../../api/users';
import { isStalePreview, useWhatIf } from '../../api/whatif';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import i18n from '../../i18n';
import { applyServerError } from '../../lib/forms';
import { emailShape, passwordStrength, requiredText } from '../../lib/validation';

export type UserFormValues = {
  name: string;
  email: string;
  roleId: string;
  sendWelcome: boolean;
  includePassword: boolean;
  generate: boolean;
  password: string;
  /** A client's company: an id, or NEW_COMPANY (the server makes one named after them). */
  companyId: string;
};

/** The Company choice that sends no companyId: the server makes a company named after the person. */
export const NEW_COMPANY = 'new';

/**
 * The roles the asker may give in this form, as the server says (each role's `actions`):
 * adding someone, those they may add people with (users.create); editing someone, those
 * they may move people into (users.edit), and the role the person holds now.
 */
export function givableRoles(roles: Role[], user?: Pick<User, 'roleId'>): Role[] {
  const action = user ? 'users.edit' : 'users.create';
  return roles.filter((r) => r.actions.includes(action) || r.id === user?.roleId);
}

export function roleOptions(roles: Role[]) {
  const group = (kind: Role['kind'], label: string) => ({
    group: label,
    items: roles.filter((r) => r.kind === kind).map((r) => ({ value: r.id, label: r.name })),
  });
  return [group('internal', i18n.t('users:userForm.teamRoles')), group('client', i18n.t('users:userForm.clientRoles'))].filter((g) => g.items.length > 0);
}

/**
 * Create (no `user`) or edit a user: name, email, role and, on create, how they get in: a
 * welcome mail when email is set up, else a password handed over by the asker. `onSaved`
 * gets, on create, the password to hand over (generated or typed), if any.
 *
 * On edit, another role shows its what-if preview before saving; the save sends the
 * preview's version (expectVersion), and when access changed since (stale_preview) the
 * preview is refreshed and nothing is saved.
 */
export function UserForm({
  user,
  roles,
  emailConfigured = false,
  self = false,
  onSaved,
  onCancel,
}: {
  user?: User;
  roles: Role[];
  emailConfigured?: boolean;
  /** The asker's own account: their email changes under My account, with their password. */
  self?: boolean;
  onSaved: (saved: UserWithPassword, password?: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('users', { keyPrefix: 'userForm' });
  const creating = !user;
  const offered = givableRoles(roles, user);
  // Changing someone's email hands over their sign-in (a reset link would go to the new
  // address): only where the server says the asker may take the account over.
  const emailLocked = self || (!creating && !user.actions?.includes('users.credentials'));
  const create = useCreateUser();
  const update = useUpdateUser();
  // A welcome mail goes only when email is set up and the asker leaves the box ticked.
  const welcomes = (v: UserFormValues) => emailConfigured && v.sendWelcome;
  const [formError, setFormError] = useState<string | null>(null);
  const minLength = usePasswordMinLength();
  const form = useForm<UserFormValues>({
    mode: 'controlled',
    initialValues: {
      name: user?.name ?? '',
      email: user?.email ?? '',
      roleId: user?.roleId ?? '',
      sendWelcome: emailConfigured,
      includePassword: false,
      generate: true,
      password: '',
      companyId: user?.companyId || NEW_COMPANY,
    },
    validate: {
      name: requiredText(t('nameRequired')),
      email: emailShape,
      roleId: (v) => (v ? null : t('roleRequired')),
      password: (v, values) => (creating && !welcomes(values) && !values.generate ? passwordStrength(v, minLength) : null),
    },
  });

  // A portal (client) account belongs to one client company; a team member to none.
  const isClient = (roleId: string) => roles.find((r) => r.id === roleId)?.kind === 'client';
  const client = isClient(form.values.roleId);
  const companies = useCompanies(client);
  const companyBefore = user?.companyId || NEW_COMPANY;
  const companyOptions = [
    // Someone not yet in a company (a new person, or a team member made a client) may get their own.
    ...(companyBefore === NEW_COMPANY ? [{ value: NEW_COMPANY, label: t('newCompany') }] : []),
    ...(companies.data ?? []).map((c) => ({ value: c.id, label: c.name })),
    // Their company, named before the list arrives (or when the list does not have it).
    ...(user?.companyId && !companies.data?.some((c) => c.id === user.companyId)
      ? [{ value: user.companyId, label: user.companyName ?? t('theirCompany') }]
      : []),
  ];

  const roleChange = !!user && !!form.values.roleId && form.values.roleId !== user.roleId;
  const whatIf = useWhatIf(roleChange ? { user: { id: user.id, roleId: form.values.roleId } } : null);
  // The save was refused because access moved since the preview: shown until the next try.
  const [stale, setStale] = useState(false);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setStale(false);
    // companyId only for a client, and on edit only when changed (a new company is none sent).
    const company =
      isClient(values.roleId) && values.companyId !== NEW_COMPANY && (creating || values.companyId !== companyBefore)
        ? { companyId: values.companyId }
        : {};
    const base = { name: values.name.trim(), email: values.email.trim(), roleId: values.roleId, ...company };
    const { email: _email, ...withoutEmail } = base;
    try {
      if (creating) {
        // sendWelcome is always said: the server's default (a mail when email is set up)
        // must not send one the asker was told would not go.
        const saved = await create.mutateAsync(
          welcomes(values)
            ? { ...base, sendWelcome: true, ...(values.includePassword ? { includePassword: true } : {}) }
            : values.generate
              ? { ...base, sendWelcome: false, generate: true }
              : { ...base, sendWelcome: false, password: values.password },
        );
        const typed = !welcomes(values) && !values.generate ? values.password : undefined;
        onSaved(saved, saved.generatedPassword ?? typed);
      } else {
        // One's own email is not sent (it changes under My account), nor one the asker may not change.
        const expect = values.roleId !== user.roleId && whatIf.version ? { expectVersion: whatIf.version } : {};
        const body = emailLocked ? withoutEmail : base;
        const saved = await update.mutateAsync({ id: user.id, body: { ...body, ...expect } });
        onSaved(saved);
      }
    } catch (e) {
      if (isStalePreview(e)) {
        setStale(true);
        whatIf.refetch();
        return;
      }
      setFormError(applyServerError(form, e, { role: 'roleId' }));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={formError} />
        <TextInput label={t('fullName')} autoComplete="off" data-autofocus {...form.getInputProps('name')} />
        <TextInput
          label={t('email')}
          type="email"
          autoComplete="off"
          disabled={emailLocked}
          description={
            self ? (
              <Trans t={t} i18nKey="ownEmail" components={{ account: <Link to="/account" /> }} />
            ) : emailLocked ? (
              t('emailLocked')
            ) : undefined
          }
          {...form.getInputProps('email')}
        />
        <Select
          label={t('role')}
          placeholder={t('chooseRole')}
          data={roleOptions(offered)}
          description={offered.length === 0 ? t('noRoleToGive') : offered.length < roles.length ? t('rolesYouMayGive') : undefined}
          searchable
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('roleId')}
        />
        {client && (
          <Select
            label={t('company')}
            description={t('companyHelp')}
            data={companyOptions}
            searchable
            allowDeselect={false}
            nothingFoundMessage={companies.isPending ? t('loading') : t('noCompany')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('companyId')}
            error={form.errors.companyId ?? (companies.isError ? errorMessage(companies.error) : undefined)}
          />
        )}
        {creating && emailConfigured && (
          <Stack gap="xs" mt="xs">
            <Checkbox
              label={t('sendWelcome')}
              description={t('sendWelcomeHelp')}
              {...form.getInputProps('sendWelcome', { type: 'checkbox' })}
            />
            {form.values.sendWelcome && (
              <Checkbox
                ml="xl"
                label={t('includePassword')}
                description={t('includePasswordHelp')}
                {...form.getInputProps('includePassword', { type: 'checkbox' })}
              />
            )}
          </Stack>
        )}
        {creating && !emailConfigured && (
          <Alert color="gray" variant="light" role="note" icon={<IconMailOff size={18} />} mt="xs">
            {t('emailNotSetUp')}
          </Alert>
        )}
        {creating && !welcomes(form.values) && (
          <>
            <Checkbox
              mt="xs"
              label={t('generate')}
              description={t('generateHelp')}
              {...form.getInputProps('generate', { type: 'checkbox' })}
            />
            {!form.values.generate && (
              <PasswordInput
                label={t('initialPassword')}
                description={t('initialPasswordHelp', { min: minLength })}
                autoComplete="new-password"
                {...form.getInputProps('password')}
              />
            )}
          </>
        )}
        {!creating && (
          <Text size="sm" c="dimmed">
            {t('roleChange')}
          </Text>
        )}
        <WhatIfPanel whatIf={whatIf} stale={stale} />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            {t('cancel')}
          </Button>
          {/* A new role is saved only with the preview of that role in view. */}
          <Button type="submit" loading={create.isPending || update.isPending} disabled={whatIf.pending}>
            {creating ? t('add') : t('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
