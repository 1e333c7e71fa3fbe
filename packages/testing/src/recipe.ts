/**
 * What a scratch database or directory starts with: every copy made from one recipe starts identical,
 * so a run builds each recipe once (its template) and copies it.
 */
export interface Recipe {
  /** Names the content (lower-case letters, digits and `_`, at most 30): part of the template's name. */
  readonly name: string;
  /**
   * Fills an empty database or directory, given its URL or path, and closes whatever it opened on it
   * (a copy needs its template untouched).
   */
  build(target: string): Promise<void>;
}

const RECIPE_NAME = /^[a-z0-9_]{1,30}$/;

/** The name of the run's template of `recipe`: `prefix`, the run, the recipe's name. */
export function templateName(prefix: string, run: string, recipe: Recipe): string {
  if (!RECIPE_NAME.test(recipe.name))
    throw new Error(`recipe name "${recipe.name}" must match ${RECIPE_NAME}`);
  return `${prefix}${run}_${recipe.name}`;
}
