import { Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import { useCreateCompany, useDeleteCompany, useUpdateCompany, type Company } from '../../api/companies';
import { useSetCompanyCost } from '../../api/costs';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { formatMoney, moneyValidator, parseMoney, toMoneyInput } from '../../lib/money';

/** Create (no `company`) or edit a client company: its name and contact details. */
function CompanyForm({ company, onSaved, onCancel }: { company?: Company; onSaved: (c: Company) => void; onCancel: () => void }) {
  const { t } = useTranslation('companies', { keyPrefix: 'form' });
  const create = useCreateCompany();
  const update = useUpdateCompany();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: company?.name ?? '',
      email: company?.email ?? '',
      phone: company?.phone ?? '',
      address: company?.address ?? '',
    },
    validate: { name: (v) => (v.trim() ? null : t('nameRequired')) },
  });

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const body = { name: v.name.trim(), email: v.email.trim(), phone: v.phone.trim(), address: v.address.trim() };
    try {
      onSaved(company ? await update.mutateAsync({ id: company.id, body }) : await create.mutateAsync(body));
    } catch (e) {
      // A name in use answers 409 name_taken without a field: it is the name's.
      if (e instanceof ApiError && e.code === 'name_taken') form.setFieldError('name', e.message);
      else setFormError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={formError} />
        <TextInput label={t('name')} required autoComplete="off" data-autofocus {...form.getInputProps('name')} />
        <TextInput label={t('email')} type="email" autoComplete="off" description={t('emailHelp')} {...form.getInputProps('email')} />
        <TextInput label={t('phone')} autoComplete="off" {...form.getInputProps('phone')} />
        <Textarea label={t('address')} autosize minRows={2} maxRows={6} {...form.getInputProps('address')} />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {company ? t('save') : t('create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export type CompanyModalState = { mode: 'create' } | { mode: 'edit'; company: Company } | null;

/** The create and edit modal; closes itself once saved. */
export function CompanyModal({ state, onClose }: { state: CompanyModalState; onClose: () => void }) {
  const { t } = useTranslation('companies', { keyPrefix: 'modal' });
  const editing = state?.mode === 'edit' ? state.company : undefined;
  return (
    <Modal opened={state !== null} onClose={onClose} title={editing ? t('editTitle', { name: editing.name }) : t('newTitle')} centered>
      {state && (
        <CompanyForm
          key={editing?.id ?? 'new'}
          company={editing}
          onCancel={onClose}
          onSaved={(c) => {
            notifications.show({ color: 'teal', message: editing ? t('saved') : t('added', { name: c.name }) });
            onClose();
          }}
        />
      )}
    </Modal>
  );
}

/** Deleting a company: refused (409 company_has_people, said here) while it has portal accounts. */
export function DeleteCompanyModal({ company, onClose }: { company: Company | null; onClose: () => void }) {
  const { t } = useTranslation('companies', { keyPrefix: 'delete' });
  const del = useDeleteCompany();
  const [error, setError] = useState<string | null>(null);
  // Kept while the modal closes, so its text does not empty in the closing animation.
  const [shown, setShown] = useState<Company | null>(company);
  useEffect(() => {
    if (company) {
      setShown(company);
      setError(null);
    }
  }, [company]);
  const confirm = async () => {
    if (!shown) return;
    try {
      await del.mutateAsync(shown.id);
      notifications.show({ color: 'teal', message: t('deleted', { name: shown.name }) });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const projects = shown?.projects.length ?? 0;
  return (
    <ConfirmModal
      opened={company !== null}
      title={t('title', { name: shown?.name ?? '' })}
      confirmLabel={t('confirm')}
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      error={error}
    >
      <Text size="sm">
        {projects === 0 ? t('projectsNone') : t('projects', { count: projects })}
      </Text>
      <Text size="sm">{t('hasPeople')}</Text>
    </ConfirmModal>
  );
}

/**
 * A client company's cost per month (costs.edit, which a Manager holds without users.edit):
 * an amount, or nothing for not set.
 */
export function CompanyCostModal({ company, currency, onClose }: { company: Company | null; currency: string; onClose: () => void }) {
  const { t } = useTranslation('companies', { keyPrefix: 'cost' });
  const setCost = useSetCompanyCost();
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Company | null>(company);
  const form = useForm({
    mode: 'controlled',
    initialValues: { costPerMonth: '' },
    validate: { costPerMonth: moneyValidator(currency) },
  });
  useEffect(() => {
    if (company) {
      setShown(company);
      const v = company.costPerMonth;
      form.setInitialValues({ costPerMonth: v === null || v === undefined ? '' : toMoneyInput(v, currency) });
      form.reset();
      setError(null);
    }
    // Only when it opens on a company (form is a new object each render).
  }, [company]);

  const submit = form.onSubmit(async (v) => {
    if (!shown) return;
    setError(null);
    const value = parseMoney(v.costPerMonth, currency).value;
    try {
      await setCost.mutateAsync({ id: shown.id, costPerMonth: value });
      notifications.show({
        color: 'teal',
        message: value === null ? t('cleared', { name: shown.name }) : t('set', { name: shown.name, amount: formatMoney(value, currency) }),
      });
      onClose();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Modal opened={company !== null} onClose={onClose} title={t('title', { name: shown?.name ?? '' })} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert message={error} />
          <TextInput
            label={t('label')}
            description={t('help', { currency })}
            inputMode="decimal"
            autoComplete="off"
            data-autofocus
            {...form.getInputProps('costPerMonth')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={setCost.isPending}>
              {t('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
