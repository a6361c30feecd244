import type { Me } from '../../api/client';
import i18n from '../../i18n';
import { userOptions, type People, type Person } from '../../lib/people';

/**
 * Who the assignee picker offers: the actor first, then the project's active internal
 * people (members, directly or through teams). The server still checks that the person
 * sees the project, receives tasks from others, and the task type's authorisations, and
 * names the field when it refuses. The current assignee stays offered whoever they are.
 */
export function assigneeOptions(
  me: Me,
  people: People,
  canAssignOthers: boolean,
  projectId: string,
  current?: { id: string; name: string },
) {
  const mine = { value: me.user.id, label: i18n.t('tasks:assignees.mine', { name: me.user.name }) };
  const out = [mine];
  if (canAssignOthers) {
    out.push(...userOptions(people.onProject(projectId), 'internal').filter((o) => o.value !== me.user.id));
  }
  // The current assignee is named by the task itself (assigneeName).
  if (current?.id && current.id !== me.user.id && !out.some((o) => o.value === current.id)) {
    out.splice(1, 0, { value: current.id, label: current.name || people.nameOf(current.id) });
  }
  return out;
}

/**
 * What the task list's assignee filter offers: the actor ("Me"), the active internal people
 * (of the project, when the list is one project's), then deactivated ones, marked, whose
 * past tasks are still worth finding. Only for filtering: pickers that assign offer active
 * people only (assigneeOptions).
 */
export function assigneeFilterOptions(me: Me, everyone: Person[], onProject?: Person[]) {
  const others = (p: Person) => p.kind === 'internal' && p.id !== me.user.id;
  const active = (onProject ?? everyone).filter((p) => others(p) && p.active);
  const seen = new Set(active.map((p) => p.id));
  const gone = everyone.filter((p) => others(p) && !p.active && !seen.has(p.id));
  return [
    { value: me.user.id, label: i18n.t('tasks:assignees.me') },
    ...active.map((p) => ({ value: p.id, label: p.name })),
    ...gone.map((p) => ({ value: p.id, label: i18n.t('tasks:assignees.deactivated', { name: p.name }) })),
  ];
}
