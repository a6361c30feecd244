import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorMessage, setToken } from '../../api/client';
import { takeGoogleResult } from '../../api/signin';
import { Loading } from '../../components/Loading';

// One exchange per result code, even when React runs the effect twice (StrictMode): the
// code works once.
const exchanges = new Map<string, ReturnType<typeof takeGoogleResult>>();

/**
 * Where the browser flow lands (/#/auth/google?result=…): the one-time code becomes a
 * session (or the reason there is none), and the address bar forgets it.
 */
export function GoogleReturn({ result, onError }: { result: string; onError: (message: string) => void }) {
  const { t } = useTranslation('signin');
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    let exchange = exchanges.get(result);
    if (!exchange) {
      exchange = takeGoogleResult(result);
      exchanges.set(result, exchange);
    }
    let current = true;
    exchange.then(
      (session) => {
        if (!current) return;
        qc.clear();
        setToken(session.token);
        navigate('/overview', { replace: true });
      },
      (e) => {
        if (!current) return;
        onError(errorMessage(e));
        navigate('/', { replace: true });
      },
    );
    return () => {
      current = false;
    };
  }, [result, navigate, onError, qc]);
  return <Loading full label={t('google.signingIn')} />;
}
