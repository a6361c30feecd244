import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconBrandGoogle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { GOOGLE_START_URL, cancelGoogleDesktop, pollGoogleDesktop, startGoogleDesktop, startSession } from '../../api/signin';
import { ErrorAlert } from '../../components/ErrorAlert';

const POLL_MS = 1000;

/**
 * "Sign in with Google". In a browser (serve) the page goes to Google and comes back to
 * /#/auth/google. In the window, Google opens in the system browser (never in this
 * window) and this waits for the answer, which reaches Gatehouse on 127.0.0.1.
 */
export function GoogleSignIn({ inWindow, remember }: { inWindow: boolean; remember: boolean }) {
  const { t } = useTranslation('signin');
  const [flow, setFlow] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!flow) return;
    let stopped = false;
    const tick = async () => {
      try {
        const r = await pollGoogleDesktop(flow);
        if (stopped) return;
        if (r.status === 'done' && r.session) {
          stopped = true;
          setFlow(null);
          await startSession(r.session, remember);
          return;
        }
      } catch (e) {
        if (stopped) return;
        stopped = true;
        setFlow(null);
        setError(errorMessage(e));
        return;
      }
      timer = setTimeout(tick, POLL_MS);
    };
    let timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [flow, remember]);

  if (!inWindow) {
    return (
      <Stack gap="xs">
        <ErrorAlert message={error} />
        <Button component="a" href={GOOGLE_START_URL} variant="default" leftSection={<IconBrandGoogle size={18} />}>
          {t('google.button')}
        </Button>
      </Stack>
    );
  }

  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      setFlow((await startGoogleDesktop()).id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const cancel = () => {
    if (flow) void cancelGoogleDesktop(flow).catch(() => {});
    setFlow(null);
  };

  return (
    <Stack gap="xs">
      <ErrorAlert message={error} title={t('google.failed')} />
      {flow ? (
        <Alert variant="light" color="blue" role="status" icon={<Loader size={16} />} title={t('google.continueTitle')}>
          <Text size="sm">{t('google.continue')}</Text>
          <Group mt="xs">
            <Button size="xs" variant="default" onClick={cancel}>
              {t('cancel')}
            </Button>
          </Group>
        </Alert>
      ) : (
        <Button variant="default" leftSection={<IconBrandGoogle size={18} />} onClick={start} loading={starting}>
          {t('google.button')}
        </Button>
      )}
    </Stack>
  );
}
