/**
 * `platform/key/status` of each announcement in published message bodies, in
 * order, digests expanded: what tests count to prove "announced once". Reads
 * the text format (`Dedupe key:` line; digests are `STATUS | … | key` rows
 * under a `Platform:` line).
 */
export function announcedKeysOf(bodies: Iterable<string>): string[] {
  const keys: string[] = [];
  for (const body of bodies) {
    const single = /Dedupe key:\s+(\S+)/.exec(body);
    if (single) {
      keys.push(single[1]!);
      continue;
    }
    const platform = /^Platform: (\S+)$/m.exec(body)?.[1];
    for (const line of body.split("\n")) {
      const parts = line.split(" | ");
      if (parts.length >= 5 && platform && parts[0] !== "STATUS") keys.push(`${platform}/${parts[4]}/${parts[0]}`);
    }
  }
  return keys;
}
