/**
 * Shapes of the instructor and join APIs. Types only come from the runner (nothing of it is
 * bundled); the few response envelopes it builds inline are spelled out here.
 */

import type { ModuleOutline } from '../../../../lab-runner/src/classes/class-labs.ts';
import type { Member } from '../../../../lab-runner/src/classes/class-store.ts';
import type {
  CellState,
  LabOutline,
  RosterCell,
} from '../../../../lab-runner/src/classes/roster.ts';
import type { ClassRow, ClassView } from '../../../../lab-runner/src/http/class-view.ts';
import type { TimelineEntry } from '../../../../lab-runner/src/progress/activity-store.ts';
import type { ActivityEvent } from '../../../../lab-runner/src/protocol/progress-events.ts';
import type { learnerAnswers } from '../../../../lab-runner/src/questions/class-questions.ts';

/** A row of the class view: the roster row and the learner's questions. */
type RosterRow = ClassRow;

export type {
  ActivityEvent,
  CellState,
  ClassView,
  LabOutline,
  Member,
  ModuleOutline,
  RosterCell,
  RosterRow,
  TimelineEntry,
};

/** `GET /api/instructor/classes`: one entry. */
export interface ClassSummary {
  id: string;
  name: string;
  modules: string[];
  joinCode: string;
  createdAt: string;
  members: number;
}

/** `POST /api/instructor/classes` (201). */
export interface CreatedClass {
  id: string;
  name: string;
  joinCode: string;
  modules: string[];
}

/** The `row` event of the class stream. */
export interface RowUpdate {
  row: RosterRow;
  counts: ClassView['counts'];
  event: ActivityEvent;
}

export interface RecordingRef {
  id: number;
  labId: string;
  sessionId: string;
  startedAt: string;
}

/** `GET /api/instructor/classes/<id>/learners/<learnerId>`. */
export interface LearnerDetail {
  member: Member;
  row: RosterRow;
  timeline: TimelineEntry[];
  recordings: RecordingRef[];
  /** Every question of the class, with the learner's answers to it (oldest first). */
  questions: ReturnType<typeof learnerAnswers>;
}

/** `GET /api/me`: the classes this browser's learner is in. */
export interface LearnerClasses {
  classes: Array<{ id: string; name: string; displayName: string }>;
}

/** `POST /api/join`. */
export interface Joined {
  classId: string;
  name: string;
  displayName: string;
}
