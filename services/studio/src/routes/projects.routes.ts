import { HttpError, type HttpServer, requirePrincipal } from '@flatrender/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ifMatchRevision, revisionEtag } from '../domain/revision';
import type { ProjectRow } from '../project.repository';
import type { ProjectService } from '../project.service';
import { projectView } from '../project.view';
import {
  checksQuery,
  checksResponse,
  createProjectBody,
  duplicateBody,
  ifMatchHeaders,
  listQuery,
  projectPage,
  projectParams,
  projectSchema,
  saveProjectBody,
  upgradeBody,
  upgradeResponse,
} from './project.schemas';

const TAGS = ['projects'];
const READ = { scope: 'projects:read' } as const;
const WRITE = { scope: 'projects:write' } as const;

/** Answers with the project and its revision as the ETag (the If-Match of the next save). */
function withEtag(reply: FastifyReply, row: ProjectRow) {
  reply.header('etag', revisionEtag(row.revision));
  return projectView(row);
}

/** The revision a change is made on: required, so a save can never overwrite unseen work. */
function requiredRevision(request: FastifyRequest): number {
  const revision = optionalRevision(request);
  if (revision === undefined)
    throw new HttpError(
      428,
      'precondition_required',
      'header "If-Match" is required: send the ETag of the revision you changed.',
      'If-Match',
    );
  return revision;
}

function optionalRevision(request: FastifyRequest): number | undefined {
  const revision = ifMatchRevision(request.headers['if-match']);
  if (revision === null)
    throw new HttpError(
      400,
      'invalid_if_match',
      'header "If-Match" must be one ETag as given by this API, such as "3".',
      'If-Match',
    );
  return revision;
}

export function registerProjectRoutes(app: HttpServer, projects: ProjectService): void {
  app.post(
    '/v1/projects',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a project from a template (pins its newest published version)',
        body: createProjectBody,
        response: { 201: projectSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      const row = await projects.create(principal, req.body);
      reply.code(201).header('location', `/v1/projects/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/v1/projects',
    {
      schema: {
        tags: TAGS,
        summary: 'List projects, most recently changed first',
        querystring: listQuery,
        response: { 200: projectPage },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, READ);
      const page = await projects.list(principal, req.query);
      return { items: page.items.map(projectView), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/v1/projects/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Get a project',
        params: projectParams,
        response: { 200: projectSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, READ);
      return withEtag(reply, await projects.get(principal, req.params.id));
    },
  );

  app.patch(
    '/v1/projects/:id',
    {
      schema: {
        tags: TAGS,
        summary:
          'Save changes (autosave, rename) on top of the revision in If-Match; 409 with the current project when it changed meanwhile',
        params: projectParams,
        headers: ifMatchHeaders,
        body: saveProjectBody,
        response: { 200: projectSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      const revision = requiredRevision(req);
      return withEtag(reply, await projects.save(principal, req.params.id, revision, req.body));
    },
  );

  app.post(
    '/v1/projects/:id/duplicate',
    {
      schema: {
        tags: TAGS,
        summary: 'Copy a project (same template version and values)',
        params: projectParams,
        body: duplicateBody,
        response: { 201: projectSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      const row = await projects.duplicate(principal, req.params.id, req.body?.name);
      reply.code(201).header('location', `/v1/projects/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.post(
    '/v1/projects/:id/upgrade',
    {
      schema: {
        tags: TAGS,
        summary: 'Move a project to a newer template version; values the new version refuses are listed',
        params: projectParams,
        headers: ifMatchHeaders,
        body: upgradeBody,
        response: { 200: upgradeResponse },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      const revision = requiredRevision(req);
      const result = await projects.upgrade(principal, req.params.id, revision, req.body?.version);
      return { project: withEtag(reply, result.project), dropped: result.dropped };
    },
  );

  app.delete(
    '/v1/projects/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a project (at the revision in If-Match, when given)',
        params: projectParams,
        headers: ifMatchHeaders,
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      await projects.remove(principal, req.params.id, optionalRevision(req));
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/projects/:id/checks',
    {
      schema: {
        tags: TAGS,
        summary: 'Problems a render would have: missing glyphs, text not fitting, small or missing images',
        params: projectParams,
        querystring: checksQuery,
        response: { 200: checksResponse },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, READ);
      const { project, report } = await projects.checks(principal, req.params.id, req.query.aspect);
      return { project_id: project.id, revision: project.revision, ...report };
    },
  );
}
