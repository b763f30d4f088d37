/**
 * The variables of deploy/docker-compose.yml itself (not FlatRender settings): passwords of the
 * servers it runs, the image to run and the published ports. `sets` names the FlatRender settings
 * Compose builds from them, which .env.example therefore does not list again.
 */
export interface ComposeVariable {
  name: string;
  doc: string;
  /** The value written in .env.example ('' for secrets the operator must choose). */
  example: string;
  sets?: readonly string[];
}

export const COMPOSE_VARIABLES: readonly ComposeVariable[] = [
  {
    name: 'FLATRENDER_IMAGE',
    doc: 'Image every FlatRender container runs; `docker compose build` tags the one it builds with it.',
    example: 'flatrender:latest',
  },
  {
    name: 'BASE_REGISTRY',
    doc: 'Registry of the base images (node, postgres, rabbitmq, redis, minio): your Nexus or Artifactory proxy of Docker Hub, e.g. nexus.example.com:8082.',
    example: 'docker.io',
  },
  {
    name: 'NPM_REGISTRY',
    doc: 'npm registry used while building the image (a mirror such as https://nexus.example.com/repository/npm/).',
    example: 'https://registry.npmjs.org/',
  },
  {
    name: 'FLATRENDER_SECRET',
    doc: 'Required. At least 32 random characters shared by every FlatRender process (signed URLs, internal tokens): openssl rand -base64 48',
    example: '',
    sets: ['FLATRENDER_SECRET'],
  },
  {
    name: 'POSTGRES_PASSWORD',
    doc: 'Required. Password of the PostgreSQL superuser `postgres`, used only by init-db.',
    example: '',
  },
  {
    name: 'FLATRENDER_DB_PASSWORD',
    doc: 'Required. Password of the `flatrender` database login that owns the service schemas.',
    example: '',
    sets: ['DATABASE_URL'],
  },
  {
    name: 'RABBITMQ_USER',
    doc: 'RabbitMQ user of FlatRender (the `guest` user does not exist in this deployment).',
    example: 'flatrender',
    sets: ['AMQP_URL'],
  },
  {
    name: 'RABBITMQ_PASSWORD',
    doc: 'Required. Password of RABBITMQ_USER.',
    example: '',
  },
  {
    name: 'REDIS_PASSWORD',
    doc: 'Required. Password Redis asks of every client.',
    example: '',
    sets: ['REDIS_URL'],
  },
  {
    name: 'MINIO_ROOT_USER',
    doc: 'MinIO root user, also the S3 access key of FlatRender.',
    example: 'flatrender',
    sets: [
      'S3_ENDPOINT',
      'S3_BUCKET',
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
      'S3_REGION',
      'S3_FORCE_PATH_STYLE',
    ],
  },
  {
    name: 'MINIO_ROOT_PASSWORD',
    doc: 'Required. MinIO root password (at least 8 characters), also the S3 secret key of FlatRender.',
    example: '',
  },
  {
    name: 'S3_BUCKET',
    doc: 'Bucket created in MinIO at first start and used for every blob.',
    example: 'flatrender',
  },
  {
    name: 'GATEWAY_HTTP_PORT',
    doc: 'Host port where the gateway (the public API) is published.',
    example: '8080',
    sets: [
      'PORT',
      'HOST',
      'IDENTITY_URL',
      'CONTENT_URL',
      'STUDIO_URL',
      'FILE_URL',
      'RENDER_URL',
      'NOTIFICATION_URL',
      'FLATRENDER_ROLES',
      'FLATRENDER_DATA_DIR',
    ],
  },
  {
    name: 'WEB_HTTP_PORT',
    doc: 'Host port where the web app is published.',
    example: '3000',
    sets: ['WEB_PORT'],
  },
  {
    name: 'RABBITMQ_MANAGEMENT_PORT',
    doc: 'Host port of the RabbitMQ management UI, bound to 127.0.0.1 only (reach it through an SSH tunnel).',
    example: '15672',
  },
];
