import { ActionIcon, Button, EmptyState, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconReceipt, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('costs');
  const readOnly = useReadOnly();
  const mayEdit = allows(project.actions, 'editCosts', readOnly);
  const costs = useProjectCosts(project.id);
  const [editingBudget, setEditingBudget] = useState(false);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<ProjectCost | null>(null);
  const currency = costs.data?.currency ?? me.currency;
  const money = (v: number) => formatMoney(v, currency);

  if (costs.isPending) return <Loading label={t('tab.loading')} />;
  if (costs.isError) return <ErrorAlert message={errorMessage(costs.error)} />;
  const { budget, spent, items } = costs.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            {t('tab.budget')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('tab.budgetIntro')}
          </Text>
        </div>
        {mayEdit && (
          <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditingBudget(true)}>
            {budget === null ? t('tab.setBudget') : t('tab.editBudget')}
          </Button>
        )}
      </Group>
      <BudgetSummary budget={budget} spent={spent} money={money} />
      {costs.data.company && (
        <Text size="sm" data-testid="company-cost">
          {t('tab.companyCost', { company: costs.data.company.name })}{' '}
          <b>{costs.data.company.costPerMonth === null ? t('tab.notSet') : money(costs.data.company.costPerMonth)}</b>
        </Text>
      )}

      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            {t('tab.extraCosts')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('tab.extraIntro')}
          </Text>
        </div>
        {mayEdit && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            {t('tab.addCost')}
          </Button>
        )}
      </Group>
      {items.length === 0 ? (
        <EmptyState
          icon={<IconReceipt size={28} />}
          withIndicatorBackground
          title={t('tab.emptyTitle')}
          description={mayEdit ? t('tab.emptyEditor') : t('tab.empty')}
          py="xl"
        />
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" aria-label={t('tab.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tab.date')}</Table.Th>
                <Table.Th>{t('tab.description')}</Table.Th>
                <Table.Th ta="right">{t('tab.amount')}</Table.Th>
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
                      <Tooltip label={t('actions.delete')}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('tab.deleteCost', { description: c.description })} onClick={() => setDeleting(c)}>
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
                <Table.Th colSpan={2}>{t('tab.total')}</Table.Th>
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
  const { t } = useTranslation('costs');
  const over = budget !== null && spent > budget;
  // A budget of zero is used up by the first cost.
  const used = budget === null ? 0 : budget === 0 ? (spent > 0 ? 100 : 0) : Math.min(100, Math.floor((spent / budget) * 100));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Figure label={t('summary.budget')} value={budget === null ? t('summary.notSet') : money(budget)} dimmed={budget === null} />
        <Figure label={t('summary.spent')} value={money(spent)} />
        <Figure
          label={over ? t('summary.overBy') : t('summary.remaining')}
          value={budget === null ? '—' : money(Math.abs(budget - spent))}
          dimmed={budget === null}
          color={over ? 'red' : undefined}
        />
      </SimpleGrid>
      {budget === null ? (
        <Text size="sm" c="dimmed">
          {t('summary.noBudget')}
        </Text>
      ) : (
        <Stack gap={4}>
          <Progress value={used} color={over ? 'red' : 'blue'} size="lg" aria-label={t('summary.used')} />
          <Text size="sm" c={over ? 'red' : 'dimmed'}>
            {over ? t('summary.over', { spent: money(spent), budget: money(budget) }) : t('summary.percent', { percent: used })}
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
