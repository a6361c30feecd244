import { Route, Routes, useParams } from 'react-router-dom';
import type { Me } from '../../api/client';
import { ProjectDetailPage } from './ProjectDetailPage';
import { ProjectsPage } from './ProjectsPage';

/** Another project is another page: its tab and dialogs start afresh. */
function ProjectDetail({ me }: { me: Me }) {
  const { id = '' } = useParams();
  return <ProjectDetailPage key={id} me={me} />;
}

export function ProjectsSection({ me }: { me: Me }) {
  return (
    <Routes>
      <Route index element={<ProjectsPage me={me} />} />
      <Route path=":id" element={<ProjectDetail me={me} />} />
    </Routes>
  );
}
