import { Badge, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  components: {
    // A badge is a short label: never cut to "Client-vi…" by a narrow table column.
    Badge: Badge.extend({ styles: { root: { minWidth: 'max-content' } } }),
  },
});
