/**
 * Shapes of the instructor and join APIs: the runner's wire shapes (protocol/), as types only
 * so no zod is bundled.
 */

export type {
  ActivityEvent,
  CellState,
  ClassList,
  ClassSummary,
  ClassView,
  CreatedClass,
  Joined,
  JoinLookup,
  LabOutline,
  LearnerAnswers,
  LearnerClasses,
  LearnerDetail,
  Member,
  ModuleOutline,
  RecordingRef,
  RosterCell,
  RosterRow,
  RowUpdate,
  TimelineEntry,
} from '../../../../lab-runner/src/protocol/index.ts';
