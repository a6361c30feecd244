import { Accordion, Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client';
import type { WhatIfChange, WhatIfState } from '../api/whatif';
import { scopeLabel } from '../lib/permissions';
import { ErrorAlert } from './ErrorAlert';

type Person = { id: string; name: string; changes: WhatIfChange[]; gained: number; lost: number };

/** The changes by person, in the order the server lists them. */
function byPerson(changes: WhatIfChange[]): Person[] {
  const people = new Map<string, Person>();
  for (const c of changes) {
    let p = people.get(c.userId);
    if (!p) people.set(c.userId, (p = { id: c.userId, name: c.userName, changes: [], gained: 0, lost: 0 }));
    p.changes.push(c);
    if (c.gained) p.gained++;
    else p.lost++;
  }
  return [...people.values()];
}

/** One change in words: "gains “edit” on project “Website”", "loses the permission “Delete projects”". */
function useLine() {
  const { t } = useTranslation('whatIf');
  return (c: WhatIfChange): string => {
    const verb = c.gained ? 'gains' : 'loses';
    if (c.type === 'permission') {
      // The preview names a permission by its key: its label is the catalog's, in the UI's words.
      const permission = t(`catalog:permissions.${c.id}.label`, { defaultValue: c.id });
      if (c.action.startsWith('scope.')) {
        return t(`line.${verb}Scope`, { permission, scope: scopeLabel(c.action.slice('scope.'.length)) });
      }
      return t(`line.${verb}Permission`, { permission });
    }
    const thing = c.name ? t(`thing.${c.type}`, { name: c.name }) : t(`thing.${c.type}Unnamed`);
    const action = t(`action.${c.action}`, { defaultValue: c.action });
    return t(`line.${verb}`, { action, thing });
  };
}

/**
 * "What changes": the preview of a proposed change (useWhatIf), counted and listed by
 * person. `stale`: the last save was refused because access changed since the preview
 * (409 stale_preview); the preview below is the refreshed one.
 */
export function WhatIfPanel({ whatIf, stale = false }: { whatIf: WhatIfState; stale?: boolean }) {
  const { t } = useTranslation('whatIf');
  const line = useLine();
  // Two panels may show at once (a task's fields and its followers): each its own title.
  const titleId = useId();
  if (!whatIf.active) return null;
  const { data, error, pending } = whatIf;
  const people = data ? byPerson(data.changes) : [];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId} aria-busy={pending}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h4" id={titleId}>
            {t('title')}
          </Title>
          {pending && data && <Loader size="xs" aria-label={t('updating')} />}
        </Group>
        {stale && (
          <Alert color="yellow" variant="light" role="status" icon={<IconAlertTriangle size={18} />}>
            {t('stale')}
          </Alert>
        )}
        {error ? (
          <ErrorAlert message={t('error', { message: errorMessage(error) })} />
        ) : !data ? (
          <Group gap="xs">
            <Loader size="sm" />
            <Text size="sm" c="dimmed">
              {t('loading')}
            </Text>
          </Group>
        ) : data.people === 0 ? (
          <Text size="sm">{t('none')}</Text>
        ) : (
          <>
            <Text fw={500}>
              {t('summary', {
                count: data.people,
                gained: t('accesses', { count: data.gained }),
                lost: t('accesses', { count: data.lost }),
              })}
            </Text>
            <Accordion multiple variant="contained" defaultValue={people.length <= 3 ? people.map((p) => p.id) : []}>
              {people.map((p) => (
                <Accordion.Item key={p.id} value={p.id}>
                  <Accordion.Control>
                    <Group gap="xs" wrap="wrap">
                      <Text fw={500}>{p.name}</Text>
                      {p.gained > 0 && (
                        <Badge color="teal" variant="light" tt="none">
                          {t('gainsCount', { count: p.gained })}
                        </Badge>
                      )}
                      {p.lost > 0 && (
                        <Badge color="red" variant="light" tt="none">
                          {t('losesCount', { count: p.lost })}
                        </Badge>
                      )}
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <Stack gap={4} component="ul" m={0} pl="md" aria-label={p.name}>
                      {p.changes.map((c, i) => (
                        <Text key={i} component="li" size="sm" c={c.gained ? 'teal.8' : 'red.8'}>
                          {line(c)}
                        </Text>
                      ))}
                    </Stack>
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
            {data.truncated && (
              <Text size="sm" c="dimmed">
                {t('truncated', { count: data.changes.length })}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
