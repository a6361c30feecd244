import { ActionIcon, Button, EmptyState, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconReceipt, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage, type Me, type Project } from '../../api/client';
import { useProjectCosts, type ProjectCost } from '../../api/costs';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDay } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { allows, useReadOnly } from '../../lib/readOnly';
import { AddCostModal, BudgetModal, DeleteCostModal } from './CostDialogs';

/**
 * A project's budget against what was spent on it (its extra costs added up), and those
 * costs. Shown when the project's `actions` carry viewCosts; changes with editCosts.
 */
export function CostsTab({ me, project }: { me: Me; project: Project }) {
  const readOnly = useReadOnly();
  const mayEdit = allows(project.actions, 'editCosts', readOnly);
  const costs = useProjectCosts(project.id);
  const [editingBudget, setEditingBudget] = useState(false);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<ProjectCost | null>(null);
  const currency = costs.data?.currency ?? me.currency;
  const money = (v: number) => formatMoney(v, currency);

  if (costs.isPending) return <Loading label="Loading costs…" />;
  if (costs.isError) return <ErrorAlert message={errorMessage(costs.error)} />;
  const { budget, spent, items } = costs.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            Budget
          </Title>
          <Text size="sm" c="dimmed">
            What this project may cost, against the extra costs spent on it so far.
          </Text>
        </div>
        {mayEdit && (
          <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditingBudget(true)}>
            {budget === null ? 'Set budget' : 'Edit budget'}
          </Button>
        )}
      </Group>
      <BudgetSummary budget={budget} spent={spent} money={money} />
      {costs.data.company && (
        <Text size="sm" data-testid="company-cost">
          {costs.data.company.name}, the client: cost per month{' '}
          <b>{costs.data.company.costPerMonth === null ? 'not set' : money(costs.data.company.costPerMonth)}</b>
        </Text>
      )}

      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            Extra costs
          </Title>
          <Text size="sm" c="dimmed">
            Money spent on the project beyond the team's time: purchases, services, fees.
          </Text>
        </div>
        {mayEdit && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            Add cost
          </Button>
        )}
      </Group>
      {items.length === 0 ? (
        <EmptyState
          icon={<IconReceipt size={28} />}
          withIndicatorBackground
          title="No extra costs yet"
          description={mayEdit ? 'Record what is spent on this project with Add cost.' : 'Nothing has been spent on this project beyond the team’s time.'}
          py="xl"
        />
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" aria-label="Extra costs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                {mayEdit && <Table.Th w={48} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={c.date}>{formatDay(c.date)}</time>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{c.description}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {money(c.amount)}
                  </Table.Td>
                  {mayEdit && (
                    <Table.Td>
                      <Tooltip label="Delete">
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${c.description}`} onClick={() => setDeleting(c)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={2}>Total</Table.Th>
                <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {money(spent)}
                </Table.Th>
                {mayEdit && <Table.Th />}
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}

      {mayEdit && (
        <>
          <BudgetModal opened={editingBudget} projectId={project.id} budget={budget} currency={currency} onClose={() => setEditingBudget(false)} />
          <AddCostModal opened={adding} projectId={project.id} currency={currency} onClose={() => setAdding(false)} />
          <DeleteCostModal cost={deleting} currency={currency} onClose={() => setDeleting(null)} />
        </>
      )}
    </Stack>
  );
}

/** Budget, spent and what remains, with a bar that turns red past the budget. */
export function BudgetSummary({ budget, spent, money }: { budget: number | null; spent: number; money: (v: number) => string }) {
  const over = budget !== null && spent > budget;
  // A budget of zero is used up by the first cost.
  const used = budget === null ? 0 : budget === 0 ? (spent > 0 ? 100 : 0) : Math.min(100, Math.floor((spent / budget) * 100));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Figure label="Budget" value={budget === null ? 'Not set' : money(budget)} dimmed={budget === null} />
        <Figure label="Spent" value={money(spent)} />
        <Figure
          label={over ? 'Over budget by' : 'Remaining'}
          value={budget === null ? '—' : money(Math.abs(budget - spent))}
          dimmed={budget === null}
          color={over ? 'red' : undefined}
        />
      </SimpleGrid>
      {budget === null ? (
        <Text size="sm" c="dimmed">
          No budget is set for this project.
        </Text>
      ) : (
        <Stack gap={4}>
          <Progress value={used} color={over ? 'red' : 'blue'} size="lg" aria-label="Budget used" />
          <Text size="sm" c={over ? 'red' : 'dimmed'}>
            {over ? `Over budget: ${money(spent)} spent of ${money(budget)}.` : `${used}% of the budget spent.`}
          </Text>
        </Stack>
      )}
    </Stack>
  );
}

function Figure({ label, value, dimmed, color }: { label: string; value: string; dimmed?: boolean; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={700} c={color ?? (dimmed ? 'dimmed' : undefined)}>
        {value}
      </Text>
    </Paper>
  );
}
