import { List, Radio, Select, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError, errorMessage, type User } from '../../api/client';
import type { Handover, HandoverRequest } from '../../api/users';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { plural } from '../../lib/format';

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
  if (plan.mode === 'one' && !plan.reassignTo) return { reassignTo: 'Choose who takes their open tasks over' };
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
  if (handover.isPending) return <Loading label="Counting their open tasks…" />;
  if (handover.isError) {
    return (
      <ErrorAlert
        title="Their open tasks could not be counted"
        message={`${errorMessage(handover.error)} Any open tasks they have ${deleting ? 'will become unassigned' : 'stay assigned to them'}.`}
      />
    );
  }

  const h = handover.data;
  const options = (people: Handover['candidates']) =>
    people.filter((p) => p.active && p.id !== user.id).map((p) => ({ value: p.id, label: p.name }));
  const anyone = options(h.candidates);
  const projects = h.projects.filter((p) => p.openTasks > 0);
  const left = deleting ? 'become unassigned' : 'stay assigned to them';
  const hidden =
    h.hiddenOpenTasks > 0 ? (
      <Text size="sm" c="dimmed">
        {plural(h.hiddenOpenTasks, 'more open task')} you cannot see {h.hiddenOpenTasks === 1 ? 'stays as it is' : 'stay as they are'}
        {deleting ? ' (unassigned on delete)' : ''}.
      </Text>
    ) : null;

  if (h.openTasks === 0) {
    return (
      <Stack gap={4} data-testid="handover">
        <Text size="sm">{h.hiddenOpenTasks > 0 ? `${user.name} has no open tasks you can see.` : `${user.name} has no open tasks.`}</Text>
        {hidden}
      </Stack>
    );
  }

  return (
    <Stack gap="sm" data-testid="handover">
      <div>
        <Text size="sm">
          {user.name} has {plural(h.openTasks, 'open task')}
          {projects.length > 0 ? ':' : '.'}
        </Text>
        {projects.length > 0 && (
          <List size="sm" aria-label="Open tasks by project">
            {projects.map((p) => (
              <List.Item key={p.projectId}>
                {p.projectName}: {plural(p.openTasks, 'open task')}
              </List.Item>
            ))}
          </List>
        )}
        {hidden}
      </div>
      <Radio.Group
        label="Their open tasks"
        value={plan.mode}
        onChange={(mode) => onChange({ ...plan, mode: mode as HandoverPlan['mode'] })}
      >
        <Stack gap="xs" mt={6}>
          <Radio
            value="leave"
            label={deleting ? 'Leave them unassigned' : `Leave them with ${user.name}`}
            description={deleting ? 'Anyone who sees them can pick them up later.' : 'They stay assigned to the deactivated account until someone reassigns them.'}
          />
          <Radio
            value="one"
            label="Give them all to one person"
            disabled={anyone.length === 0}
            description={anyone.length === 0 ? 'Nobody can take over all of them (nobody else sees every one of their projects).' : undefined}
          />
          {projects.length > 1 && <Radio value="project" label="Choose per project" />}
        </Stack>
      </Radio.Group>
      {plan.mode === 'one' && (
        <Select
          label="Who takes them over"
          placeholder="Choose a person"
          data={anyone}
          value={plan.reassignTo}
          onChange={(reassignTo) => onChange({ ...plan, reassignTo })}
          error={errors.reassignTo}
          searchable
          nothingFoundMessage="Nobody found"
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {plan.mode === 'project' &&
        projects.map((p) => {
          const data = options(p.candidates);
          return (
            <Select
              key={p.projectId}
              label={`${p.projectName} (${plural(p.openTasks, 'open task')})`}
              placeholder={deleting ? 'Leave them unassigned' : `Leave them with ${user.name}`}
              description={data.length === 0 ? `Nobody else can take these over: they ${left}.` : undefined}
              disabled={data.length === 0}
              data={data}
              value={plan.byProject[p.projectId] ?? null}
              onChange={(id) => onChange({ ...plan, byProject: { ...plan.byProject, [p.projectId]: id } })}
              clearable
              searchable
              nothingFoundMessage="Nobody found"
              comboboxProps={{ withinPortal: true }}
            />
          );
        })}
    </Stack>
  );
}
