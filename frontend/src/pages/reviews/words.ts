// How the review pages name a line's access, decision and outcome, in the UI's language.
import type { TFunction } from 'i18next';
import type { AccessReview, ReviewLine } from '../../api/reviews';
import { permissionLabel, scopeLabel } from '../../lib/permissions';

export function scopeText(t: TFunction<'reviews'>, r: Pick<AccessReview, 'scope' | 'scopeName'>): string {
  return t(`scope.of.${r.scope}`, { name: r.scopeName });
}

export function accessText(t: TFunction<'reviews'>, l: ReviewLine): string {
  if (l.kind === 'grant') {
    // An extra permission: its key and scope, said in the UI's language.
    const scope = l.detail ? ` (${scopeLabel(l.detail)})` : '';
    return `${t('kind.grant')}: ${permissionLabel({ key: l.thingName, label: l.thingName })}${scope}`;
  }
  const detail = l.detail ? ` (${t(`detailOf.${l.detail}`, { defaultValue: l.detail })})` : '';
  return `${t(`kind.${l.kind}`)}: ${l.thingName}${detail}`;
}

export function decisionText(t: TFunction<'reviews'>, l: ReviewLine): string {
  if (l.decision === 'change') return t('decision.changeTo', { role: l.newRoleName });
  if (l.decision === 'revoke' && l.kind === 'role') return t('decision.revokeRole');
  return t(`decision.${l.decision || 'undecided'}`);
}

export function outcomeText(t: TFunction<'reviews'>, l: ReviewLine): string {
  const word = t(`outcome.${l.outcome || 'none'}`);
  return l.outcomeText && l.outcome !== 'kept' ? `${word}: ${l.outcomeText}` : word;
}
