import { Button, Checkbox, Group, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { Role, User } from '../../api/client';
import { useCreateUser, useUpdateUser } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { emailShape, passwordStrength, requiredText } from '../../lib/validation';

export type UserFormValues = {
  name: string;
  email: string;
  roleId: string;
  generate: boolean;
  password: string;
};

export function roleOptions(roles: Role[]) {
  const group = (kind: Role['kind'], label: string) => ({
    group: label,
    items: roles.filter((r) => r.kind === kind).map((r) => ({ value: r.id, label: r.name })),
  });
  return [group('internal', 'Team roles'), group('client', 'Client roles')].filter((g) => g.items.length > 0);
}

/** Create (no `user`) or edit a user: name, email, role and, on create, the first password. */
export function UserForm({
  user,
  roles,
  onSaved,
  onCancel,
}: {
  user?: User;
  roles: Role[];
  onSaved: (saved: User, generatedPassword?: string) => void;
  onCancel: () => void;
}) {
  const creating = !user;
  const create = useCreateUser();
  const update = useUpdateUser();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<UserFormValues>({
    mode: 'controlled',
    initialValues: {
      name: user?.name ?? '',
      email: user?.email ?? '',
      roleId: user?.roleId ?? '',
      generate: true,
      password: '',
    },
    validate: {
      name: requiredText('Enter the full name'),
      email: emailShape,
      roleId: (v) => (v ? null : 'Choose a role'),
      password: (v, values) => (creating && !values.generate ? passwordStrength(v) : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const base = { name: values.name.trim(), email: values.email.trim(), roleId: values.roleId };
    try {
      if (creating) {
        const saved = await create.mutateAsync(
          values.generate ? { ...base, generate: true } : { ...base, password: values.password },
        );
        onSaved(saved, saved.generatedPassword);
      } else {
        const saved = await update.mutateAsync({ id: user.id, body: base });
        onSaved(saved);
      }
    } catch (e) {
      setFormError(applyServerError(form, e, { role: 'roleId' }));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={formError} />
        <TextInput label="Full name" autoComplete="off" data-autofocus {...form.getInputProps('name')} />
        <TextInput label="Email" type="email" autoComplete="off" {...form.getInputProps('email')} />
        <Select
          label="Role"
          placeholder="Choose a role"
          data={roleOptions(roles)}
          searchable
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('roleId')}
        />
        {creating && (
          <>
            <Checkbox
              mt="xs"
              label="Generate a strong password"
              description="Gatehouse creates one and shows it to you once."
              {...form.getInputProps('generate', { type: 'checkbox' })}
            />
            {!form.values.generate && (
              <PasswordInput
                label="Initial password"
                description="At least 12 characters. They must change it when they first sign in."
                autoComplete="new-password"
                {...form.getInputProps('password')}
              />
            )}
          </>
        )}
        {!creating && (
          <Text size="sm" c="dimmed">
            A change of role is in force on their very next request.
          </Text>
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {creating ? 'Add user' : 'Save changes'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
