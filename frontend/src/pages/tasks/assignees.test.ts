import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import type { Person } from '../../lib/people';
import { makeMe } from '../../test/fixtures';
import { assigneeFilterOptions } from './assignees';

const me = makeMe({ permissions: [], nav: ['tasks'] });
const person = (id: string, name: string, active = true, kind: Person['kind'] = 'internal'): Person => ({ id, name, kind, active });

const everyone = [
  person('u-me', 'Sam Staff'),
  person('u-ann', 'Ann Admin'),
  person('u-dee', 'Dee Gone', false),
  person('u-ned', 'Ned New'),
  person('u-cli', 'Cleo Client', true, 'client'),
];

describe('assigneeFilterOptions', () => {
  it('offers me, the active internal people, then deactivated ones, marked', () => {
    expect(assigneeFilterOptions(me, everyone).map((o) => o.label)).toEqual(['Me', 'Ann Admin', 'Ned New', 'Dee Gone (deactivated)']);
  });

  it("in one project's list, offers that project's people and the deactivated", () => {
    const onProject = [person('u-ned', 'Ned New'), person('u-cli', 'Cleo Client', true, 'client')];
    expect(assigneeFilterOptions(me, everyone, onProject).map((o) => [o.value, o.label])).toEqual([
      ['u-me', 'Me'],
      ['u-ned', 'Ned New'],
      ['u-dee', 'Dee Gone (deactivated)'],
    ]);
  });
});

describe('assigneeFilterOptions in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('names me and the deactivated in Portuguese, at call time', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(assigneeFilterOptions(me, everyone).map((o) => o.label)).toEqual(['Eu', 'Ann Admin', 'Ned New', 'Dee Gone (desativado)']);
  });
});
