/**
 * What `aidp-watch doctor` (and `poll` invoked with `{"doctor": true}`)
 * answers: one entry per check, in the order they ran. `fix`, when a check
 * failed and a change is known to help, is the exact policy statement or
 * configuration key to change. The report passes only when every check did.
 */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

export interface DoctorReport {
  readonly checks: readonly DoctorCheck[];
}

export function passed(report: DoctorReport): boolean {
  return report.checks.length > 0 && report.checks.every((c) => c.ok);
}

export function ok(name: string, detail: string): DoctorCheck {
  return { name, ok: true, detail };
}

export function failed(name: string, detail: string, fix?: string): DoctorCheck {
  return fix === undefined ? { name, ok: false, detail } : { name, ok: false, detail, fix };
}
