import { Route, Routes } from 'react-router-dom';
import type { Me } from '../../api/client';
import { BoardPage } from './BoardPage';
import { BoardsPage } from './BoardsPage';

export function BoardsSection({ me }: { me: Me }) {
  return (
    <Routes>
      <Route index element={<BoardsPage me={me} />} />
      <Route path=":id" element={<BoardPage me={me} />} />
    </Routes>
  );
}
