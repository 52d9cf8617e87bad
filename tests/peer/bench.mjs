// The peer side of `cargo xtask bench --peer`: starts the automerge-repo
// sync server (server.mjs) on a fresh folder and drives it with phones made
// of the official Automerge client (a Repo with the WebSocket client
// adapter each), then prints one line of JSON with the figures.
//
//   node bench.mjs [phones] [records] [edits]
//
// The workload is the one Innom's side runs (tests/src/bin/peerbench.rs):
// each phone creates its visit records (not timed), then edits each record
// `edits` times; an edit sets one field and appends 20 characters to the
// 200-character summary. A phone makes a round of edits (one per record)
// and starts the next when the server has acknowledged the round. A change
// counts as stored when the server has written it to storage (without
// fsync: automerge-repo does not sync its files); its latency runs from
// the edit to that write.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as A from "@automerge/automerge";
import { Repo, decodeHeads } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const [phones, records, edits] = [2, 3, 4].map((i, n) => Number(process.argv[i] ?? [50, 20, 5][n]));
const APPENDED = " og fadder fulgte op"; // 20 characters
const now = () => performance.timeOrigin + performance.now();

/// CPU time (user + system) of process `pid` from /proc, in ms.
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(")").pop().trim().split(/\s+/);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
function peakRssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
  return Number(line.split(/\s+/)[1]) / 1024;
}

const folder = mkdtempSync(join(tmpdir(), "innom-peer-"));
const server = spawn(process.execPath, [new URL("server.mjs", import.meta.url).pathname, folder], {
  stdio: ["ignore", "pipe", "inherit"],
});
// Changes waiting for their storage write, per document: [head, made at].
const pending = new Map();
const latencies = [];
let lastWrite = 0;
let onWrite = () => {};
const port = await new Promise((resolve, reject) => {
  server.on("exit", (code) => reject(new Error(`the peer server stopped (exit ${code})`)));
  createInterface({ input: server.stdout }).on("line", (line) => {
    const [what, id, heads] = line.split(" ");
    if (what === "listening") return resolve(Number(id));
    if (what !== "saved") return;
    const waiting = pending.get(id);
    if (!waiting) return;
    const saved = new Set(heads.split(","));
    // One phone edits a record, so its history is a line: a write holding
    // a change holds every change before it.
    const upTo = waiting.findLastIndex(([head]) => saved.has(head));
    if (upTo < 0) return;
    const at = now();
    for (const [, madeAt] of waiting.splice(0, upTo + 1)) latencies.push(at - madeAt);
    lastWrite = at;
    onWrite();
  });
});

/// Resolves when the server has said (in a sync message) that it holds `head`.
function acknowledged(handle, head) {
  return new Promise((resolve) => {
    const check = ({ heads }) => {
      if (decodeHeads(heads).includes(head)) {
        handle.off("remote-heads", check);
        resolve();
      }
    };
    handle.on("remote-heads", check);
  });
}
// 200 characters, as on Innom's side.
const summary = "Besøk hos arbeidsgiver: deltakeren møter presis, lærer rutinene raskt og samarbeider godt " +
  "med kollegene. Lederen ønsker å forlenge praksisen og vurderer en sommerjobb. Neste besøk om fire uker, kl 10.";
function visit(phone, n) {
  return {
    kind: "visit", schema_version: 1, created_at: 1767225600000, created_by: `phone${phone}`,
    visit_type: "drop_in", workplace: "00000000-0000-0000-0000-000000000007", placements: [],
    advisor: `phone${phone}`, at: 1767225600000 + n, duration_minutes: 10, met: "Daglig leder",
    summary, concerns: [], follow_ups: [], job_signal: "none", status: "green",
    review: { state: "unreviewed" },
  };
}
function track(handle) {
  const head = A.getHeads(handle.doc())[0];
  const list = pending.get(handle.documentId) ?? [];
  list.push([head, now()]);
  pending.set(handle.documentId, list);
  return acknowledged(handle, head);
}

const url = `ws://127.0.0.1:${port}`;
const devices = Array.from({ length: phones }, () => new Repo({
  network: [new WebSocketClientAdapter(url)], sharePolicy: async () => true,
}));
// Setting up: every phone's records on the server and written, untimed.
const handles = devices.map((repo, phone) => Array.from({ length: records }, (_, n) => repo.create(visit(phone, n))));
await Promise.all(handles.flat().map(track));
const allWritten = () => [...pending.values()].every((list) => list.length === 0);
await new Promise((resolve) => { onWrite = () => allWritten() && resolve(); onWrite(); });
latencies.length = 0;

const serverCpu = cpuMs(server.pid);
const ownCpu = process.cpuUsage();
const started = now();
await Promise.all(handles.map(async (phoneHandles) => {
  for (let round = 0; round < edits; round++) {
    await Promise.all(phoneHandles.map((handle) => {
      handle.change((doc) => {
        doc.duration_minutes = 11 + round;
        A.splice(doc, ["summary"], doc.summary.length, 0, APPENDED);
      });
      return track(handle);
    }));
  }
}));
await new Promise((resolve) => { onWrite = () => allWritten() && resolve(); onWrite(); });
const seconds = (lastWrite - started) / 1000;
const changes = phones * records * edits;
const own = process.cpuUsage(ownCpu);
latencies.sort((a, b) => a - b);
const quantile = (p) => latencies[Math.round((latencies.length - 1) * p)];
const figures = {
  changes,
  changes_per_s: changes / seconds,
  server_cpu_ms_per_change: (cpuMs(server.pid) - serverCpu) / changes,
  p50_ms: quantile(0.5),
  p99_ms: quantile(0.99),
  peak_rss_mib: peakRssMiB(server.pid),
  load_generator_cores: (own.user + own.system) / 1e6 / seconds,
};
console.log(JSON.stringify(figures));
server.kill();
for (const repo of devices) repo.shutdown?.();
rmSync(folder, { recursive: true, force: true });
process.exit(0);
