// Settings → General (settings.general): the organisation's name, logo, colour, time zone,
// currency and formats. Every change is read again through /api/status, which every
// screen draws from.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';

export type GeneralSettings = Schemas['GeneralSettings'];
export type GeneralSettingsRequest = {
  name?: string;
  accent?: string;
  timezone?: string;
  currency?: string;
  dateFormat?: string;
  numberFormat?: string;
  language?: string;
};

export const organisationKeys = { settings: ['settings', 'general'] as const };

export function useGeneralSettings() {
  return useQuery({ queryKey: organisationKeys.settings, queryFn: () => call(api.GET('/api/settings/general')) });
}

function useSaved() {
  const qc = useQueryClient();
  return (saved: GeneralSettings) => {
    qc.setQueryData(organisationKeys.settings, saved);
    // The look, the time zone and formats (status), the currency (me), the log.
    void refresh(qc, keys.status);
    void refresh(qc, keys.me);
    void refresh(qc, keys.audit);
  };
}

export function useUpdateGeneralSettings() {
  const onSuccess = useSaved();
  return useMutation({
    mutationFn: (body: GeneralSettingsRequest) => call(api.PUT('/api/settings/general', { body })),
    onSuccess,
  });
}

/** The logo's bytes go as the request's body; the server judges them, not the type. */
export function useUploadLogo() {
  const onSuccess = useSaved();
  return useMutation({
    mutationFn: (file: File) =>
      call(
        api.PUT('/api/settings/general/logo', {
          body: file as unknown as string,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'Content-Type': file.type || 'application/octet-stream' },
        }),
      ),
    onSuccess,
  });
}

export function useDeleteLogo() {
  const onSuccess = useSaved();
  return useMutation({ mutationFn: () => call(api.DELETE('/api/settings/general/logo')), onSuccess });
}
