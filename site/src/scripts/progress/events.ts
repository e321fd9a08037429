/**
 * Events between the lab widget and the progress marks on the same page. The lab widget
 * announces its tasks on `document`; the sidebar and the overview update from them.
 */

export const LAB_PROGRESS_EVENT = 'slipway:lab-progress';

export interface LabProgressDetail {
  labId: string;
  done: number;
  total: number;
}

export function announceLabProgress(detail: LabProgressDetail): void {
  document.dispatchEvent(new CustomEvent<LabProgressDetail>(LAB_PROGRESS_EVENT, { detail }));
}
