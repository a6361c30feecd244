import { ActionIcon, Anchor, Button, Center, EmptyState, Group, Loader, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconBuilding, IconCash, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useCompanies, type Company } from '../../api/companies';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatMoney } from '../../lib/money';
import { coversClients } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { CompanyCostModal, CompanyModal, DeleteCompanyModal, type CompanyModalState } from './CompanyDialogs';

/**
 * The client companies on the users page: each with its contact details, its portal
 * accounts and the projects for it that the viewer sees. Changes follow each company's
 * `actions`; making one, the role (users.create over clients: it carries no `actions`).
 */
export function CompaniesPanel({ me }: { me: Me }) {
  const { t } = useTranslation('companies', { keyPrefix: 'panel' });
  const readOnly = useReadOnly();
  const companies = useCompanies();
  const [search, setSearch] = useState('');
  const [modal, setModal] = useState<CompanyModalState>(null);
  const [deleting, setDeleting] = useState<Company | null>(null);
  const [costing, setCosting] = useState<Company | null>(null);
  const canCreate = !readOnly && coversClients(me, 'users.create');
  const all = companies.data ?? [];
  const q = search.trim().toLocaleLowerCase();
  const rows = q ? all.filter((c) => c.name.toLocaleLowerCase().includes(q)) : all;
  const mayEdit = (c: Company) => allows(c.actions, 'users.edit', readOnly);
  const anyEditable = rows.some(mayEdit);
  // The figure is in the answer only for those who may see it (costs.view).
  const showCost = all.some((c) => 'costPerMonth' in c);
  const mayEditCost = (c: Company) => allows(c.actions, 'costs.edit', readOnly);

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label={t('search')}
          placeholder={t('searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        {companies.data && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {q ? t('countOf', { count: rows.length, total: all.length }) : t('count', { count: all.length })}
          </Text>
        )}
        {canCreate && (
          <Button ml="auto" leftSection={<IconPlus size={18} />} onClick={() => setModal({ mode: 'create' })}>
            {t('newCompany')}
          </Button>
        )}
      </Group>

      {companies.isError && <ErrorAlert message={errorMessage(companies.error)} />}

      {companies.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : companies.isError ? null : rows.length === 0 ? (
        <EmptyState
          icon={<IconBuilding size={28} />}
          withIndicatorBackground
          title={q ? t('noMatch') : t('noneYet')}
          description={
            q
              ? t('tryAnother')
              : canCreate
                ? t('createHint')
                : t('autoHint')
          }
          py="xl"
        >
          {!q && canCreate && (
            <Button mt="md" onClick={() => setModal({ mode: 'create' })}>
              {t('newCompany')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" aria-label={t('tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('company')}</Table.Th>
                <Table.Th>{t('email')}</Table.Th>
                <Table.Th>{t('phone')}</Table.Th>
                <Table.Th>{t('people')}</Table.Th>
                <Table.Th>{t('projects')}</Table.Th>
                {showCost && <Table.Th>{t('costPerMonth')}</Table.Th>}
                {anyEditable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Text fw={500}>{c.name}</Text>
                    {c.address && (
                      <Text size="xs" c="dimmed" lineClamp={2} style={{ whiteSpace: 'pre-line' }}>
                        {c.address}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{c.email ? <Anchor href={`mailto:${c.email}`}>{c.email}</Anchor> : <Text c="dimmed">—</Text>}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{c.phone || <Text c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>
                    {c.people.length === 0 ? (
                      <Text c="dimmed">{t('nobody')}</Text>
                    ) : (
                      c.people.map((p, i) => (
                        <Fragment key={p.id}>
                          {i > 0 && ', '}
                          {p.name}
                          {!p.active && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              {t('deactivated')}
                            </Text>
                          )}
                        </Fragment>
                      ))
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.projects.length === 0 ? (
                      <Text c="dimmed">{t('none')}</Text>
                    ) : (
                      c.projects.map((p, i) => (
                        <Fragment key={p.id}>
                          {i > 0 && ', '}
                          <Anchor component={Link} to={`/projects/${p.id}`}>
                            {p.name}
                          </Anchor>
                        </Fragment>
                      ))
                    )}
                  </Table.Td>
                  {showCost && (
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Group gap={4} wrap="nowrap">
                        {c.costPerMonth === null || c.costPerMonth === undefined ? (
                          <Text c="dimmed">{t('notSet')}</Text>
                        ) : (
                          formatMoney(c.costPerMonth, me.currency)
                        )}
                        {mayEditCost(c) && (
                          <Tooltip label={t('setCost')}>
                            <ActionIcon variant="subtle" aria-label={t('setCostLabel', { name: c.name })} onClick={() => setCosting(c)}>
                              <IconCash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                  {anyEditable && (
                    <Table.Td>
                      {mayEdit(c) && (
                        <Group gap={4} wrap="nowrap" justify="flex-end">
                          <Tooltip label={t('edit')}>
                            <ActionIcon variant="subtle" aria-label={t('editLabel', { name: c.name })} onClick={() => setModal({ mode: 'edit', company: c })}>
                              <IconPencil size={16} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label={t('delete')}>
                            <ActionIcon variant="subtle" color="red" aria-label={t('deleteLabel', { name: c.name })} onClick={() => setDeleting(c)}>
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <CompanyModal state={modal} onClose={() => setModal(null)} />
      <DeleteCompanyModal company={deleting} onClose={() => setDeleting(null)} />
      <CompanyCostModal company={costing} currency={me.currency} onClose={() => setCosting(null)} />
    </Stack>
  );
}
