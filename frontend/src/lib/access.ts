// How the Access tab names each path, and how cutting one maps onto the existing
// endpoints (there is no "remove access" endpoint: each path is undone where it was made).
import { api, call, type AccessPath } from '../api/client';
import type { AccessResource } from '../api/work';
import i18n from '../i18n';
import { formatDate } from './format';

export type PathLabel = { text: string; color: string; hint: string };

const t = (key: string, options?: Record<string, unknown>) => i18n.t(`access:${key}`, options ?? {});

function levelWord(level?: string): string {
  return level === 'editor' ? t('level.editor') : level === 'member' || !level ? t('level.member') : level;
}

/** The badge text, colour and longer explanation of one access path. */
export function pathLabel(p: AccessPath): PathLabel {
  const name = p.name ?? '';
  const level = levelWord(p.level);
  switch (p.kind) {
    case 'role_scope':
      return {
        text: name ? t('path.roleScope.text', { name }) : t('path.roleScope.textThisRole'),
        color: 'violet',
        hint: name ? t('path.roleScope.hint', { name }) : t('path.roleScope.hintThisRole'),
      };
    case 'grant':
      // Extra access given to this one person beyond their role: by whom, until when.
      return p.until
        ? { text: t('path.grant.textUntil', { name, date: formatDate(p.until) }), color: 'yellow', hint: t('path.grant.hint') }
        : { text: t('path.grant.text', { name }), color: 'yellow', hint: t('path.grant.hint') };
    case 'member':
      return { text: t('path.member.text'), color: 'blue', hint: name ? t('path.member.hint', { name }) : t('path.member.hintNoName') };
    case 'team':
      return {
        text: p.level ? t('path.team.textLevel', { name, level }) : t('path.team.text', { name }),
        color: 'cyan',
        hint: p.level ? t('path.team.hintLevel', { name, level }) : t('path.team.hint', { name }),
      };
    case 'client':
      return { text: t('path.client.text'), color: 'grape', hint: name ? t('path.client.hint', { name }) : t('path.client.hintNoName') };
    case 'board_open':
      return { text: name ? t('path.boardOpen.textName', { name }) : t('path.boardOpen.text'), color: 'gray', hint: t('path.boardOpen.hint') };
    case 'board_invite':
      return {
        text: t('path.boardInvite.text', { level }),
        color: 'orange',
        hint: name ? t('path.boardInvite.hint', { name, level }) : t('path.boardInvite.hintNoName', { level }),
      };
    case 'follower':
      return { text: t('path.follower.text'), color: 'teal', hint: t('path.follower.hint') };
    case 'assignee':
      return { text: t('path.assignee.text'), color: 'green', hint: t('path.assignee.hint') };
    case 'task_file':
      return { text: t('path.taskFile.text'), color: 'indigo', hint: t('path.taskFile.hint') };
    case 'shared':
      return { text: t('path.shared.text'), color: 'grape', hint: t('path.shared.hint') };
    case 'uploader':
      return { text: t('path.uploader.text'), color: 'lime', hint: t('path.uploader.hint') };
    default:
      return { text: String(p.kind), color: 'gray', hint: '' };
  }
}

/** What the confirmation says before a path is cut. */
export function removalQuestion(p: AccessPath, userName: string): string {
  const name = p.name ?? '';
  switch (p.kind) {
    case 'member':
      return name ? t('removal.member', { user: userName, name }) : t('removal.memberNoName', { user: userName });
    case 'client':
      return name ? t('removal.client', { user: userName, name }) : t('removal.clientNoName', { user: userName });
    case 'team':
      return t('removal.team', { user: userName, name });
    case 'board_invite':
      return t('removal.boardInvite', { user: userName, name });
    case 'follower':
      return t('removal.follower', { user: userName });
    default:
      return t('removal.other', { user: userName });
  }
}

function without(ids: string[] | undefined, userId: string): string[] {
  return (ids ?? []).filter((id) => id !== userId);
}

/**
 * Cuts one path of a user, through the endpoint that made it. Reads the thing first so
 * only that user is removed from its lists.
 */
export async function removeAccessPath(p: AccessPath, userId: string): Promise<void> {
  const via = p.via ?? '';
  if (!via) throw new Error(t('cannotRemove'));
  switch (p.kind) {
    case 'member':
    case 'client': {
      const project = await call(api.GET('/api/projects/{id}', { params: { path: { id: via } } }));
      const body = p.kind === 'member' ? { members: without(project.members, userId) } : { clients: without(project.clients, userId) };
      await call(api.PATCH('/api/projects/{id}', { params: { path: { id: via } }, body }));
      return;
    }
    case 'team': {
      const team = await call(api.GET('/api/teams/{id}', { params: { path: { id: via } } }));
      await call(
        api.PATCH('/api/teams/{id}', {
          params: { path: { id: via } },
          body: { members: without(team.members, userId), leaders: without(team.leaders, userId) },
        }),
      );
      return;
    }
    case 'board_invite': {
      const board = await call(api.GET('/api/boards/{id}', { params: { path: { id: via } } }));
      await call(
        api.PATCH('/api/boards/{id}', {
          params: { path: { id: via } },
          body: { access: board.access.filter((g) => !(g.type === 'user' && g.id === userId)) },
        }),
      );
      return;
    }
    case 'follower':
      await call(api.DELETE('/api/tasks/{id}/followers/{userId}', { params: { path: { id: via, userId } } }));
      return;
    default:
      throw new Error(t('cannotRemove'));
  }
}

/** Actions the Explain box offers for each kind of resource (as /api/access/explain names them), with their label's key. */
const EXPLAIN: Record<AccessResource, [value: string, label: string][]> = {
  project: [
    ['projects.view', 'seeProject'],
    ['projects.edit', 'editProject'],
    ['projects.members', 'changeMembers'],
    ['projects.delete', 'deleteProject'],
    ['tasks.create', 'createTasks'],
  ],
  board: [
    ['view', 'seeBoard'],
    ['edit', 'editBoard'],
  ],
  task: [
    ['tasks.view', 'seeTask'],
    ['tasks.edit', 'editTask'],
    ['tasks.status', 'moveTask'],
    ['tasks.assign', 'assignTask'],
    ['tasks.delete', 'deleteTask'],
    ['tasks.review', 'reviewTask'],
    ['chat.task_comments', 'comment'],
  ],
  file: [
    ['files.view', 'seeFile'],
    ['files.upload', 'renameFile'],
    ['files.delete', 'deleteFile'],
    ['files.share_clients', 'shareFile'],
  ],
  thread: [
    ['view', 'seeDiscussion'],
    ['chat.discussions', 'writeDiscussion'],
  ],
};

/** The Explain box's actions for one kind of resource, labelled in the UI's language. */
export function explainActions(type: AccessResource): { value: string; label: string }[] {
  return EXPLAIN[type].map(([value, label]) => ({ value, label: t(`explainAction.${label}`) }));
}
