import { List, Radio, Select, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type User } from '../../api/client';
import type { Handover, HandoverRequest } from '../../api/users';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import i18n from '../../i18n';

/** What happens to a leaver's open tasks: left as they are, all to one person, or per project. */
export type HandoverPlan = {
  mode: 'leave' | 'one' | 'project';
  reassignTo: string | null;
  byProject: Record<string, string | null>;
};

export const LEAVE_TASKS: HandoverPlan = { mode: 'leave', reassignTo: null, byProject: {} };

/** Errors on the plan's fields (the server names `byProject` without the project, in its message). */
export type HandoverErrors = { reassignTo?: string };

/** The request body for a plan; undefined when every task is left as it is. */
export function handoverRequest(plan: HandoverPlan): HandoverRequest | undefined {
  if (plan.mode === 'one' && plan.reassignTo) return { reassignTo: plan.reassignTo };
  if (plan.mode === 'project') {
    const byProject = Object.fromEntries(Object.entries(plan.byProject).filter((e): e is [string, string] => !!e[1]));
    if (Object.keys(byProject).length > 0) return { byProject };
  }
  return undefined;
}

/** The plan's own mistakes, before asking the server (null: none). */
export function checkHandoverPlan(plan: HandoverPlan): HandoverErrors | null {
  if (plan.mode === 'one' && !plan.reassignTo) return { reassignTo: i18n.t('users:handover.chooseTakeover') };
  return null;
}

/**
 * A refusal of the server on the one-person picker when it names `reassignTo`; otherwise its
 * message, for above the dialog (a `byProject` refusal names its project there).
 */
export function handoverServerError(e: unknown): { errors: HandoverErrors } | { message: string } {
  if (e instanceof ApiError && e.field === 'reassignTo') return { errors: { reassignTo: e.message } };
  return { message: errorMessage(e) };
}

/**
 * The open tasks a leaver has (by project) and whom they may go to: only the people the
 * server names as candidates, so nobody is offered whom it would refuse.
 */
export function HandoverFields({
  user,
  handover,
  deleting,
  plan,
  onChange,
  errors,
}: {
  user: User;
  handover: UseQueryResult<Handover>;
  deleting: boolean;
  plan: HandoverPlan;
  onChange: (plan: HandoverPlan) => void;
  errors: HandoverErrors;
}) {
  const { t } = useTranslation('users', { keyPrefix: 'handover' });
  if (handover.isPending) return <Loading label={t('counting')} />;
  if (handover.isError) {
    return (
      <ErrorAlert
        title={t('countFailed')}
        message={t(deleting ? 'countFailedDelete' : 'countFailedDeactivate', { error: errorMessage(handover.error) })}
      />
    );
  }

  const h = handover.data;
  const options = (people: Handover['candidates']) =>
    people.filter((p) => p.active && p.id !== user.id).map((p) => ({ value: p.id, label: p.name }));
  const anyone = options(h.candidates);
  const projects = h.projects.filter((p) => p.openTasks > 0);
  const hidden =
    h.hiddenOpenTasks > 0 ? (
      <Text size="sm" c="dimmed">
        {t(deleting ? 'hiddenOnDelete' : 'hidden', { count: h.hiddenOpenTasks })}
      </Text>
    ) : null;

  if (h.openTasks === 0) {
    return (
      <Stack gap={4} data-testid="handover">
        <Text size="sm">{h.hiddenOpenTasks > 0 ? t('noneSeen', { name: user.name }) : t('none', { name: user.name })}</Text>
        {hidden}
      </Stack>
    );
  }

  return (
    <Stack gap="sm" data-testid="handover">
      <div>
        <Text size="sm">
          {t(projects.length > 0 ? 'hasByProject' : 'has', { name: user.name, count: h.openTasks })}
        </Text>
        {projects.length > 0 && (
          <List size="sm" aria-label={t('byProjectLabel')}>
            {projects.map((p) => (
              <List.Item key={p.projectId}>
                {t('projectTasks', { project: p.projectName, count: p.openTasks })}
              </List.Item>
            ))}
          </List>
        )}
        {hidden}
      </div>
      <Radio.Group
        label={t('theirTasks')}
        value={plan.mode}
        onChange={(mode) => onChange({ ...plan, mode: mode as HandoverPlan['mode'] })}
      >
        <Stack gap="xs" mt={6}>
          <Radio
            value="leave"
            label={deleting ? t('leaveUnassigned') : t('leaveWith', { name: user.name })}
            description={deleting ? t('leaveUnassignedHelp') : t('leaveWithHelp')}
          />
          <Radio
            value="one"
            label={t('giveOne')}
            disabled={anyone.length === 0}
            description={anyone.length === 0 ? t('nobodyAll') : undefined}
          />
          {projects.length > 1 && <Radio value="project" label={t('perProject')} />}
        </Stack>
      </Radio.Group>
      {plan.mode === 'one' && (
        <Select
          label={t('who')}
          placeholder={t('choosePerson')}
          data={anyone}
          value={plan.reassignTo}
          onChange={(reassignTo) => onChange({ ...plan, reassignTo })}
          error={errors.reassignTo}
          searchable
          nothingFoundMessage={t('nothingFound')}
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {plan.mode === 'project' &&
        projects.map((p) => {
          const data = options(p.candidates);
          return (
            <Select
              key={p.projectId}
              label={t('projectLabel', { project: p.projectName, count: p.openTasks })}
              placeholder={deleting ? t('leaveUnassigned') : t('leaveWith', { name: user.name })}
              description={data.length === 0 ? t(deleting ? 'nobodyElseDelete' : 'nobodyElseDeactivate') : undefined}
              disabled={data.length === 0}
              data={data}
              value={plan.byProject[p.projectId] ?? null}
              onChange={(id) => onChange({ ...plan, byProject: { ...plan.byProject, [p.projectId]: id } })}
              clearable
              searchable
              nothingFoundMessage={t('nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
          );
        })}
    </Stack>
  );
}
