// How the Access tab names each path, and how cutting one maps onto the existing
// endpoints (there is no "remove access" endpoint: each path is undone where it was made).
import { api, call, type AccessPath } from '../api/client';
import type { AccessResource } from '../api/work';

export type PathLabel = { text: string; color: string; hint: string };

function levelWord(level?: string): string {
  return level === 'editor' ? 'editor' : level === 'member' ? 'member' : level || 'member';
}

/** The badge text, colour and longer explanation of one access path. */
export function pathLabel(p: AccessPath): PathLabel {
  const name = p.name ?? '';
  switch (p.kind) {
    case 'role_scope':
      return {
        text: `Role: ${name || 'this role'} sees all projects`,
        color: 'violet',
        hint: `${name ? `The role ${name}` : 'This role'} sees every project; only a change of role removes this.`,
      };
    case 'member':
      return { text: 'Member', color: 'blue', hint: name ? `Direct member of the project ${name}` : 'Direct member of the project' };
    case 'team':
      return {
        text: p.level ? `Team: ${name} (${levelWord(p.level)})` : `Team: ${name}`,
        color: 'cyan',
        hint: p.level
          ? `The team ${name} is invited to the board as ${levelWord(p.level)}`
          : `Member of the team ${name}, which is on the project`,
      };
    case 'client':
      return { text: 'Client', color: 'grape', hint: name ? `Attached as a client to ${name}` : 'Attached as a client' };
    case 'board_open':
      return { text: name ? `Open board: ${name}` : 'Open board', color: 'gray', hint: 'The board is visible to every team member' };
    case 'board_invite':
      return {
        text: `Invited as ${levelWord(p.level)}`,
        color: 'orange',
        hint: name ? `Invited to the board ${name} as ${levelWord(p.level)}` : `Invited to the board as ${levelWord(p.level)}`,
      };
    case 'follower':
      return { text: 'Follower', color: 'teal', hint: 'Follows this task: sees this one task only' };
    case 'assignee':
      return { text: 'Assigned', color: 'green', hint: 'Sees the task because it is assigned to them' };
    case 'task_file':
      return { text: 'Through its task', color: 'indigo', hint: 'The file is attached to a task and is seen as the task is' };
    case 'shared':
      return { text: 'Shared with clients', color: 'grape', hint: "Shared with the project's clients" };
    case 'uploader':
      return { text: 'Uploaded it', color: 'lime', hint: 'A client sees the files they uploaded themselves' };
    default:
      return { text: String(p.kind), color: 'gray', hint: '' };
  }
}

/** What the confirmation says before a path is cut. */
export function removalQuestion(p: AccessPath, userName: string): string {
  const name = p.name ?? '';
  switch (p.kind) {
    case 'member':
      return `Remove ${userName} from the members of ${name || 'the project'}?`;
    case 'client':
      return `Detach ${userName} (client) from ${name || 'the project'}?`;
    case 'team':
      return `Remove ${userName} from the team ${name}? They lose everything the team gives them, not only this.`;
    case 'board_invite':
      return `Withdraw ${userName}'s invitation to the board ${name}?`;
    case 'follower':
      return `Stop ${userName} following this task?`;
    default:
      return `Remove this access of ${userName}?`;
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
  if (!via) throw new Error('This access cannot be removed from here.');
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
      throw new Error('This access cannot be removed from here.');
  }
}

/** Actions the Explain box offers for each kind of resource (as /api/access/explain names them). */
export const EXPLAIN_ACTIONS: Record<AccessResource, { value: string; label: string }[]> = {
  project: [
    { value: 'projects.view', label: 'See the project' },
    { value: 'projects.edit', label: 'Edit the project' },
    { value: 'projects.members', label: 'Change members' },
    { value: 'projects.delete', label: 'Delete the project' },
    { value: 'tasks.create', label: 'Create tasks' },
  ],
  board: [
    { value: 'view', label: 'See the board' },
    { value: 'edit', label: 'Edit the board' },
  ],
  task: [
    { value: 'tasks.view', label: 'See the task' },
    { value: 'tasks.edit', label: 'Edit the task' },
    { value: 'tasks.status', label: 'Move the task' },
    { value: 'tasks.assign', label: 'Assign the task' },
    { value: 'tasks.delete', label: 'Delete the task' },
    { value: 'tasks.review', label: 'Review the task' },
    { value: 'chat.task_comments', label: 'Comment' },
  ],
  file: [
    { value: 'files.view', label: 'See and download the file' },
    { value: 'files.upload', label: 'Rename or move the file' },
    { value: 'files.delete', label: 'Delete the file' },
    { value: 'files.share_clients', label: 'Share the file with clients' },
  ],
  thread: [
    { value: 'view', label: 'See the discussion' },
    { value: 'chat.discussions', label: 'Write in the discussion' },
  ],
};
