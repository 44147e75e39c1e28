/**
 * `--data-dir` persistence of published messages: one JSON object per line,
 * appended. A crash can only tear the last line, which is skipped on load.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "../../../shared/log/logger.js";
import { type PublishedMessage, PublishedMessageSchema } from "./published-message.js";

export class MessageLog {
  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  load(): PublishedMessage[] {
    if (!existsSync(this.file)) return [];
    const out: PublishedMessage[] = [];
    for (const line of readFileSync(this.file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        out.push(PublishedMessageSchema.parse(JSON.parse(line)));
      } catch (err) {
        this.logger.warn("skipping unreadable line of the message log", { file: this.file, error: err });
      }
    }
    return out;
  }

  append(m: PublishedMessage): void {
    appendFileSync(this.file, `${JSON.stringify(m)}\n`);
  }
}
