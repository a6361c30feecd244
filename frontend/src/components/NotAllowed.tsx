import { Stack, Text, Title } from '@mantine/core';

export function NotAllowed() {
  return (
    <Stack>
      <Title order={1}>Not available</Title>
      <Text c="dimmed">Your role does not include this page. Ask an administrator if you need it.</Text>
    </Stack>
  );
}
