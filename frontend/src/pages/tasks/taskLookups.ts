import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Board, Me, Task, TaskType } from '../../api/client';
import { useBoards, useTaskTypes } from '../../api/work';

/** Boards (internal users only: the portal shows none) and task types, by id. */
export function useTaskLookups(me: Me) {
  const internal = me.role.kind === 'internal';
  const boards = useBoards(internal);
  const types = useTaskTypes(internal);
  return useMemo(() => {
    const boardById = new Map<string, Board>((boards.data ?? []).map((b) => [b.id, b]));
    const typeById = new Map<string, TaskType>((types.data?.items ?? []).map((t) => [t.id, t]));
    return {
      boards: boards.data ?? [],
      types: types.data?.items ?? [],
      boardName: (id: string) => boardById.get(id)?.name ?? '',
      stageName: (t: Pick<Task, 'boardId' | 'stageId'>) =>
        boardById.get(t.boardId)?.stages.find((s) => s.id === t.stageId)?.name ?? '',
      stageKind: (t: Pick<Task, 'boardId' | 'stageId'>) => boardById.get(t.boardId)?.stages.find((s) => s.id === t.stageId)?.kind,
      typeName: (id: string) => typeById.get(id)?.name ?? '',
      board: (id: string) => boardById.get(id),
    };
  }, [boards.data, types.data]);
}

export type TaskLookups = ReturnType<typeof useTaskLookups>;

/** The open task lives in the URL (?task=ID), so a task can be linked to and reloaded. */
export function useOpenTask(): [string | null, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const id = params.get('task');
  const open = (next: string | null) => {
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (next) n.set('task', next);
        else n.delete('task');
        return n;
      },
      { replace: !next },
    );
  };
  return [id, open];
}
