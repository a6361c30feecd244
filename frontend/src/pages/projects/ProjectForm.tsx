import { Button, Group, MultiSelect, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me, Project } from '../../api/client';
import { useCompanies } from '../../api/companies';
import { sameIds, usePreviewedSave, type WhatIfRequest } from '../../api/whatif';
import { useCreateProject, useTeams, useUpdateProject } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { applyServerError } from '../../lib/forms';
import { can, coversClients } from '../../lib/permissions';
import { nameOnProject, usePeople, userOptions, type People } from '../../lib/people';

/** Which parts of a project the actor may change, and whom they may pick. */
export function peopleFields(me: Me, people: People, project?: Project) {
  const internal = me.role.kind === 'internal';
  const mayChange = internal && (project ? project.actions.includes('members') : can(me, 'projects.members'));
  const scope = me.permissions.find((p) => p.key === 'users.view')?.scope;
  return {
    /** Name and description (projects.edit); a new project always has them. */
    details: project ? project.actions.includes('edit') : true,
    // Internal people come from the user list, or else from every active internal user.
    members: mayChange,
    teams: mayChange,
    clients: mayChange,
    /** Any client may be attached only with the client list (users.view over clients). */
    anyClient: people.listed && (scope === 'all' || scope === 'clients'),
  };
}

/**
 * Options, plus the ids already chosen that the options lack (never dropped): named by the
 * project when it names them, else by the people the pickers have.
 */
function withChosen(options: { value: string; label: string }[], chosen: string[], people: People, project?: Project) {
  const missing = chosen.filter((id) => !options.some((o) => o.value === id));
  const name = (id: string) => project?.names?.[id] ?? people.nameOf(id);
  return [...options, ...missing.map((id) => ({ value: id, label: name(id) }))];
}

export function ProjectForm({
  me,
  project,
  onSaved,
  onCancel,
}: {
  me: Me;
  project?: Project;
  onSaved: (p: Project) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('projects');
  const create = useCreateProject();
  const update = useUpdateProject();
  // The pickers' choices; the project names its current members and clients itself.
  const people = usePeople(me);
  const fields = peopleFields(me, people, project);
  const teams = useTeams(fields.teams);
  // The client company: chosen by those who list the companies (the client list), with the
  // project's details (projects.edit; a new project always has them).
  const companies = useCompanies(fields.details && coversClients(me, 'users.view'));
  const pickCompany = companies.isSuccess;
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: project?.name ?? '',
      description: project?.description ?? '',
      members: project?.members ?? [],
      teams: project?.teams ?? [],
      clients: project?.clients ?? [],
      companyId: (project?.companyId ?? null) as string | null,
    },
    validate: { name: (v) => (v.trim() ? null : t('form.nameRequired')) },
  });

  // Editing a saved project's people (as one who may): its what-if preview before saving.
  const v0 = form.values;
  const changedLists = project
    ? {
        ...(fields.members && !sameIds(v0.members, project.members ?? []) ? { members: v0.members } : {}),
        ...(fields.teams && !sameIds(v0.teams, project.teams ?? []) ? { teams: v0.teams } : {}),
        ...(fields.clients && !sameIds(v0.clients, project.clients ?? []) ? { clients: v0.clients } : {}),
      }
    : {};
  const proposal: WhatIfRequest | null =
    project && Object.keys(changedLists).length > 0 ? { project: { id: project.id, ...changedLists } } : null;
  const preview = usePreviewedSave(proposal);

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    preview.start();
    const body = {
      // Without projects.edit, name and description are not sent (the server would refuse).
      ...(fields.details ? { name: v.name.trim(), description: v.description.trim() } : {}),
      ...(fields.members ? { members: v.members } : {}),
      ...(fields.teams ? { teams: v.teams } : {}),
      ...(fields.clients ? { clients: v.clients } : {}),
      // Sent only when chosen or changed ("" takes the project from its company).
      ...(pickCompany && (v.companyId ?? '') !== (project?.companyId ?? '') ? { companyId: v.companyId ?? '' } : {}),
    };
    try {
      const saved = project
        ? await update.mutateAsync({ id: project.id, body: { ...body, ...(proposal ? preview.expect : {}) } })
        : await create.mutateAsync({ ...body, name: v.name.trim(), description: v.description.trim() });
      onSaved(saved);
    } catch (e) {
      if (preview.refused(e)) return;
      setFormError(applyServerError(form, e));
    }
  });

  const keep = [...(project?.members ?? []), ...(project?.clients ?? [])];
  const memberOptions = withChosen(userOptions(people.all, 'internal', keep), form.values.members, people, project);
  // Without the client list, the clients on offer are those already on the project.
  const clientOptions = withChosen(
    fields.anyClient
      ? userOptions(people.all, 'client', keep)
      : (project?.clients ?? []).map((id) => ({ value: id, label: nameOnProject(project!, id) })),
    form.values.clients,
    people,
    project,
  );

  const companyOptions = [
    ...(companies.data ?? []).map((c) => ({ value: c.id, label: c.name })),
    ...(project?.companyId && !companies.data?.some((c) => c.id === project.companyId)
      ? [{ value: project.companyId, label: project.companyName ?? t('form.itsCompany') }]
      : []),
  ];

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert message={formError} />
        <TextInput
          label={t('form.name')}
          required
          data-autofocus={fields.details}
          disabled={!fields.details}
          description={fields.details ? undefined : t('form.nameLocked')}
          {...form.getInputProps('name')}
        />
        <Textarea label={t('form.description')} autosize minRows={2} maxRows={6} disabled={!fields.details} {...form.getInputProps('description')} />
        {pickCompany && (
          <Select
            label={t('form.company')}
            description={t('form.companyDescription')}
            placeholder={t('form.companyPlaceholder')}
            data={companyOptions}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': t('form.companyClear') }}
            nothingFoundMessage={t('form.companyNothingFound')}
            {...form.getInputProps('companyId')}
          />
        )}
        {fields.members && (
          <MultiSelect
            label={t('form.members')}
            description={t('form.membersDescription')}
            data={memberOptions}
            searchable
            clearable
            nothingFoundMessage={t('form.nobodyFound')}
            {...form.getInputProps('members')}
          />
        )}
        {fields.teams && (
          <MultiSelect
            label={t('form.teams')}
            description={t('form.teamsDescription')}
            data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            searchable
            clearable
            nothingFoundMessage={teams.isPending ? t('form.loading') : t('form.noTeams')}
            {...form.getInputProps('teams')}
          />
        )}
        {fields.clients && (
          <MultiSelect
            label={t('form.clients')}
            description={fields.anyClient ? t('form.clientsDescription') : t('form.clientsDescriptionLimited')}
            data={clientOptions}
            searchable
            clearable
            nothingFoundMessage={t('form.noClients')}
            {...form.getInputProps('clients')}
          />
        )}
        <WhatIfPanel whatIf={preview.whatIf} stale={preview.stale} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          {/* A change of people is saved only with its preview in view. */}
          <Button type="submit" loading={create.isPending || update.isPending} disabled={preview.whatIf.pending}>
            {project ? t('form.saveChanges') : t('form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
