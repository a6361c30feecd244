import { ActionIcon, Anchor, Button, Center, EmptyState, Group, Loader, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconBuilding, IconCash, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useCompanies, type Company } from '../../api/companies';
import { ErrorAlert } from '../../components/ErrorAlert';
import { plural } from '../../lib/format';
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
          label="Search companies"
          placeholder="Company name"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        {companies.data && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {q ? `${plural(rows.length, 'company', 'companies')} of ${all.length}` : plural(all.length, 'company', 'companies')}
          </Text>
        )}
        {canCreate && (
          <Button ml="auto" leftSection={<IconPlus size={18} />} onClick={() => setModal({ mode: 'create' })}>
            New company
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
          title={q ? 'No companies match' : 'No client companies yet'}
          description={
            q
              ? 'Try another name.'
              : canCreate
                ? 'Create one, or add a client account and it gets a company of its own.'
                : 'A client account gets a company of its own when it is added.'
          }
          py="xl"
        >
          {!q && canCreate && (
            <Button mt="md" onClick={() => setModal({ mode: 'create' })}>
              New company
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" aria-label="Client companies">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Company</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Phone</Table.Th>
                <Table.Th>People</Table.Th>
                <Table.Th>Projects</Table.Th>
                {showCost && <Table.Th>Cost per month</Table.Th>}
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
                      <Text c="dimmed">Nobody</Text>
                    ) : (
                      c.people.map((p, i) => (
                        <Fragment key={p.id}>
                          {i > 0 && ', '}
                          {p.name}
                          {!p.active && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              (deactivated)
                            </Text>
                          )}
                        </Fragment>
                      ))
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.projects.length === 0 ? (
                      <Text c="dimmed">None</Text>
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
                          <Text c="dimmed">Not set</Text>
                        ) : (
                          formatMoney(c.costPerMonth, me.currency)
                        )}
                        {mayEditCost(c) && (
                          <Tooltip label="Set the cost per month">
                            <ActionIcon variant="subtle" aria-label={`Set the cost per month of ${c.name}`} onClick={() => setCosting(c)}>
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
                          <Tooltip label="Edit">
                            <ActionIcon variant="subtle" aria-label={`Edit ${c.name}`} onClick={() => setModal({ mode: 'edit', company: c })}>
                              <IconPencil size={16} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label="Delete">
                            <ActionIcon variant="subtle" color="red" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
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
