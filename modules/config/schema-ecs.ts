import { z } from 'zod';

const IMAGE_FORMS =
  'must be either { "pullThrough": { "repository": "…", "tag": "…" } } (a public image, the default) or { "build": true, "tag": "…" } (the image built from docker/)';

/** The `ecs` section: the Fargate bastion of the ecs-bastion stack. */
const ecsImage = z.union(
  [
    z
      .strictObject({
        pullThrough: z
          .strictObject({
            repository: z
              .string()
              .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { message: 'must be an ECR Public repository path, e.g. "docker/library/debian"' })
              .default('docker/library/debian')
              .describe('ECR Public repository path (public.ecr.aws/<repository>).'),
            tag: z
              .string()
              .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$|^sha256:[a-f0-9]{64}$/, { message: 'must be an image tag or a sha256 digest' })
              .default('bookworm-slim')
              .describe('Image tag or sha256 digest.'),
          })
          .describe('Pull a public image through an ECR pull-through cache rule (works with no NAT).'),
      })
      .describe('A public image from ECR Public, cached in this account.'),
    z
      .strictObject({
        build: z.literal(true).describe('Use the image built from docker/ and pushed to the repository this stack creates.'),
        tag: z
          .string()
          .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'must be an image tag' })
          .default('1')
          .describe('Tag to run (tags are immutable in the repository: push a new tag for a new image).'),
      })
      .describe('The image built from docker/.'),
  ],
  // zod's own message for a union ("Invalid input") would not say which two shapes are accepted.
  { error: IMAGE_FORMS },
);

export const ecsSchema = z
  .strictObject({
    architecture: z.enum(['arm64', 'x86_64']).default('arm64').describe('CPU architecture of the Fargate task.'),
    cpu: z.number().int().default(256).describe('Task CPU units (256 = 0.25 vCPU); must pair with `memory` as Fargate allows.'),
    memory: z.number().int().default(512).describe('Task memory in MiB; must pair with `cpu` as Fargate allows.'),
    spot: z.boolean().default(false).describe('Run on FARGATE_SPOT (about 70% cheaper; may be interrupted).'),
    containerInsights: z
      .boolean()
      .default(true)
      .describe('CloudWatch Container Insights on the cluster (task metrics; expected by security baselines such as Security Hub ECS.12).'),
    desiredCount: z
      .number()
      .int()
      .min(0, { message: 'must be 0 (parked) or more' })
      .max(10, { message: 'must be at most 10' })
      .default(1)
      .describe('Number of bastion tasks while `bastion_enabled` is true.'),
    shell: z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/, { message: 'must be the absolute path of a shell in the image, e.g. "/bin/bash"' })
      .default('/bin/bash')
      .describe('Shell the ready-to-paste `aws ecs execute-command` opens (must exist in the image; the default images have bash).'),
    image: ecsImage
      .default({ pullThrough: { repository: 'docker/library/debian', tag: 'bookworm-slim' } })
      .describe('The container image: a public image through a pull-through cache (default), or the image built from docker/.'),
  })
  .describe('The ECS Fargate bastion (stack ecs-bastion).');

