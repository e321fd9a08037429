/**
 * What a learner's sign-in does to the learner records, as a pure decision. A person (an
 * issuer and a subject) has at most one learner; a browser has at most one (its cookie).
 */
export interface LinkInputs {
  /** The learner already linked to this person, if any. */
  person: string | undefined;
  /** The learner in this browser's cookie, if any (and known to the database). */
  browser: string | undefined;
  /** Whether the browser's learner is linked to some person (this one or another). */
  browserLinked: boolean;
}

export type LinkDecision =
  /** The browser already is this person: nothing to do. */
  | { kind: 'same'; learnerId: string }
  /** First sign-in, from a browser with anonymous progress: that learner becomes the person's. */
  | { kind: 'link-browser'; learnerId: string }
  /** First sign-in, from a browser with nothing of its own (or another person's): a new learner. */
  | { kind: 'new' }
  /**
   * The person has a learner and this browser has anonymous progress: the browser's is merged
   * into the person's, and the browser becomes the person's learner.
   */
  | { kind: 'merge'; from: string; into: string }
  /**
   * The person has a learner; the browser's belongs to someone else (a shared computer) or
   * there is none: the browser becomes the person's learner and nothing moves.
   */
  | { kind: 'switch'; learnerId: string };

export function linkDecision({ person, browser, browserLinked }: LinkInputs): LinkDecision {
  if (person !== undefined) {
    if (browser === person) return { kind: 'same', learnerId: person };
    if (browser !== undefined && !browserLinked)
      return { kind: 'merge', from: browser, into: person };
    return { kind: 'switch', learnerId: person };
  }
  // Another person's progress is never handed to this one.
  if (browser !== undefined && !browserLinked) return { kind: 'link-browser', learnerId: browser };
  return { kind: 'new' };
}
