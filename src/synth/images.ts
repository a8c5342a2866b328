/**
 * Which images the example apps use. `upstream`: public images (mongo-express,
 * mongo) for a cluster with internet, e.g. kind. `local`: images built by
 * `npm run cluster:up` for the offline test cluster (demo-web, FerretDB).
 * Synth hands the chosen set to each app's `build(app, images)`; the CLI takes
 * it from `--images`, else BERTH_IMAGES (`imageSet()`, also the default of the
 * apps' cdk8s entries). One setting always gives the same bytes.
 */
export type ImageSet = 'upstream' | 'local';
export const IMAGE_SETS: ImageSet[] = ['upstream', 'local'];
export const IMAGES_ENV = 'BERTH_IMAGES';

export function imageSet(env: NodeJS.ProcessEnv = process.env): ImageSet {
  const v = env[IMAGES_ENV] ?? 'upstream';
  if (!(IMAGE_SETS as string[]).includes(v)) {
    throw new Error(`${IMAGES_ENV}=${JSON.stringify(v)} is not allowed: use ${IMAGE_SETS.join(' or ')}`);
  }
  return v as ImageSet;
}
