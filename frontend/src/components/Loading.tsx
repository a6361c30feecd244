import { Center, Loader } from '@mantine/core';

export function Loading({ label = 'Loading…', full = false }: { label?: string; full?: boolean }) {
  return (
    <Center mih={full ? '100vh' : 120} aria-busy="true" aria-label={label}>
      <Loader />
    </Center>
  );
}
