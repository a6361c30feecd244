import { Alert, Button, Group, List, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useAddToProjects, type ProjectsAdded, type UserWithPassword } from '../../api/users';
import { useAllProjects } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import i18n from '../../i18n';
import { SignInDetails } from '../../components/GeneratedPasswordModal';
import { Loading } from '../../components/Loading';
import { allows, useReadOnly } from '../../lib/readOnly';

/** Someone just added, and the password to hand over (generated or typed) when no welcome mail went. */
export type Created = { user: UserWithPassword; password?: string };

/** Whether the dialog after creation has anything to say that a notification cannot. */
export function needsCreatedDialog({ user, password }: Created): boolean {
  return (user.welcome !== 'queued' && !!password) || !!user.withoutProjects;
}

export function welcomeOnItsWay(email: string): string {
  return i18n.t('users:created.welcomeOnItsWay', { email });
}

function joinNames(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : i18n.t('users:created.and', { rest: names.slice(0, -1).join(', '), last: names[names.length - 1] });
}

/**
 * "On no project yet": the projects whose members the asker may change, offered right away.
 * The result stays shown; adding more is possible until the dialog closes.
 */
function AddToProjects({ user, onClose }: { user: UserWithPassword; onClose: () => void }) {
  const { t } = useTranslation('users', { keyPrefix: 'created' });
  const readOnly = useReadOnly();
  const projects = useAllProjects();
  const add = useAddToProjects();
  const [chosen, setChosen] = useState<string[]>([]);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [result, setResult] = useState<ProjectsAdded | null>(null);
  const [error, setError] = useState<string | null>(null);

  const offered = (projects.data ?? []).filter(
    (p) => p.status === 'active' && allows(p.actions, 'members', readOnly) && !p.members.includes(user.id),
  );
  const addedAny = !!result && result.added.length > 0;

  const submit = async () => {
    setError(null);
    if (chosen.length === 0) {
      setFieldError(t('chooseProject'));
      return;
    }
    try {
      const out = await add.mutateAsync({ userId: user.id, projects: offered.filter((p) => chosen.includes(p.id)) });
      setResult(out);
      setChosen(out.failed.map((f) => f.project.id)); // what failed stays chosen, to try again
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="sm" data-testid="add-to-projects">
        {!addedAny && (
          <Alert color="yellow" variant="light" role="note" icon={<IconAlertCircle size={18} />}>
            {t('noProject', { name: user.name })}
          </Alert>
        )}
        {result && result.added.length > 0 && (
          <Alert color="teal" variant="light" icon={<IconCheck size={18} />} role="status">
            {t('nowOn', { name: user.name, projects: joinNames(result.added.map((p) => p.name)) })}
          </Alert>
        )}
        {result && result.failed.length > 0 && (
          <Alert color="red" variant="light" role="alert" title={t('someFailed')}>
            <List size="sm">
              {result.failed.map((f) => (
                <List.Item key={f.project.id}>
                  {f.project.name}: {f.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <ErrorAlert message={error} />
        {projects.isError && <ErrorAlert message={errorMessage(projects.error)} />}
        {projects.isPending ? (
          <Loading />
        ) : offered.length === 0 ? (
          !addedAny && (
            <Text size="sm" c="dimmed">
              {t('noneToOffer')}
            </Text>
          )
        ) : (
          <MultiSelect
            label={addedAny ? t('addMore') : t('addTo')}
            placeholder={t('chooseProjects')}
            data={offered.map((p) => ({ value: p.id, label: p.name }))}
            value={chosen}
            onChange={(v) => {
              setChosen(v);
              setFieldError(null);
            }}
            error={fieldError}
            searchable
            clearable
            nothingFoundMessage={t('noProjectFound')}
            comboboxProps={{ withinPortal: true }}
            data-autofocus
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {addedAny ? t('done') : t('notNow')}
          </Button>
          {offered.length > 0 && (
            <Button type="submit" loading={add.isPending}>
              {chosen.length > 1 ? t('addToMany', { count: chosen.length }) : t('addToOne')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/**
 * After a user is added: the sign-in details to hand over when no welcome mail went (shown
 * once; saving them comes first), then, for a team member on no project, the offer to add
 * them to projects. Mount it with a key per person, so each starts at the first step.
 */
export function UserCreatedModal({ created, onClose }: { created: Created; onClose: () => void }) {
  const { t } = useTranslation('users', { keyPrefix: 'created' });
  const [step, setStep] = useState<'details' | 'projects'>('details');
  const { user, password } = created;
  const queued = user.welcome === 'queued';
  const details = !queued && !!password && step === 'details';

  return (
    <Modal
      opened
      onClose={onClose}
      title={details ? t('saveDetails') : t('added', { name: user.name })}
      centered
      size="lg"
      // The password is shown once: a stray click must not lose it.
      closeOnClickOutside={false}
    >
      {details ? (
        <Stack gap="md">
          <SignInDetails name={user.name} email={user.email} password={password} />
          <Group justify="flex-end">
            <Button onClick={() => (user.withoutProjects ? setStep('projects') : onClose())}>{t('savedIt')}</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          {queued && (
            <Alert color="teal" variant="light" role="status" icon={<IconMailForward size={18} />}>
              {welcomeOnItsWay(user.email)}
            </Alert>
          )}
          {user.withoutProjects ? (
            <AddToProjects user={user} onClose={onClose} />
          ) : (
            <Group justify="flex-end">
              <Button onClick={onClose}>{t('close')}</Button>
            </Group>
          )}
        </Stack>
      )}
    </Modal>
  );
}
