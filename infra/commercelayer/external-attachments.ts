// The external resources' side of what the command is asked for, checked before any request: the kinds the external
// handlers file implements (read as the build reads them, infra/build/external-deploy.ts) and the Commerce Layer
// resource each one serves, from the attachments file beside it (functions/external.ts ->
// functions/external-attachments.ts) and from `--attach <kind>=<id>`, which replaces the file's resources of that kind.
// Every implemented kind must be attached, and every attached kind implemented: a URL pointed at a kind nobody
// deployed would only collect failures on the resource's circuit.
import { existsSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type AttachableKind,
  type ExternalAttachments,
  PAYMENT_GATEWAY,
  type ResourceRef,
} from "../../shared/external/attachments.ts";
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { implementedExternalKinds } from "../build/external-deploy.ts";
import { ConfigProblem } from "./config.ts";
import { Fault, UsageError } from "./faults.ts";

export interface Attachment {
  readonly kind: ExternalKind;
  readonly ref: ResourceRef;
}

export interface ExternalSetup {
  /** Both as shown in lines: relative to the project when inside it. */
  readonly handlersFile: string;
  readonly attachmentsFile: string;
  readonly implemented: readonly ExternalKind[];
  /** In the kinds' order, each kind's resources as given, without repeats. */
  readonly attachments: readonly Attachment[];
}

/** `--attach` values by the key they name, in the order given. */
export type CommandLineAttachments = ReadonlyMap<AttachableKind, readonly ResourceRef[]>;

const ATTACHABLE: readonly string[] = [PAYMENT_GATEWAY, ...EXTERNAL_KIND_NAMES];

const isAttachable = (key: string): key is AttachableKind => ATTACHABLE.includes(key);

/** `<name>-attachments.ts` beside `<name>.ts`. */
export function attachmentsFileOf(handlersFile: string): string {
  const name = basename(handlersFile).replace(/(\.[cm]?[jt]s)?$/, "-attachments$1");
  return join(dirname(handlersFile), name);
}

/** `--attach tax-calculator=<id>`, repeatable; a malformed one is a usage error. */
export function parseAttach(values: readonly string[]): CommandLineAttachments {
  const attached = new Map<AttachableKind, ResourceRef[]>();
  for (const value of values) {
    const [, key, id] = /^([^=]+)=(\S+)$/.exec(value) ?? [];
    if (key === undefined || id === undefined) {
      throw new UsageError(`--attach ${value}: give <kind>=<resource id>, e.g. tax-calculator=AbCdEfGhIj`);
    }
    if (!isAttachable(key)) throw new UsageError(`--attach ${value}: ${key} is no kind (${ATTACHABLE.join(", ")})`);
    attached.set(key, [...(attached.get(key) ?? []), { id }]);
  }
  return attached;
}

/** The concrete kinds a key stands for among those implemented (`payment-gateway`: every payment action). */
function kindsOf(key: AttachableKind, implemented: readonly ExternalKind[]): ExternalKind[] {
  if (key !== PAYMENT_GATEWAY) return [key];
  return implemented.filter((kind) => EXTERNAL_KINDS[kind].holder === "external_gateways");
}

function isRef(value: unknown): value is ResourceRef {
  if (typeof value !== "object" || value === null) return false;
  const { id, name, ...rest } = value as Record<string, unknown>;
  const given = [id, name].filter((part) => part !== undefined);
  return (
    Object.keys(rest).length === 0 &&
    given.length === 1 &&
    typeof given[0] === "string" &&
    given[0].trim() !== "" &&
    given[0] === given[0].trim()
  );
}

/** The file's `externalAttachments`, checked as its type says (a file can be wrong at run time); none: `{}`. */
async function readAttachmentsFile(file: string, shown: string): Promise<Map<AttachableKind, ResourceRef[]>> {
  const read = new Map<AttachableKind, ResourceRef[]>();
  if (!existsSync(file)) return read;
  let exported: { externalAttachments?: unknown };
  try {
    exported = (await import(pathToFileURL(file).href)) as typeof exported;
  } catch (error) {
    throw new Fault(`${shown} does not load: ${(error as Error).message.split("\n")[0]}`);
  }
  const attachments = exported.externalAttachments;
  if (typeof attachments !== "object" || attachments === null || Array.isArray(attachments)) {
    throw new ConfigProblem(
      `${shown} exports no \`externalAttachments\` map (export const externalAttachments = defineExternalAttachments({...}))`,
    );
  }
  for (const [key, value] of Object.entries(attachments as ExternalAttachments)) {
    if (!isAttachable(key)) throw new ConfigProblem(`${shown}: "${key}" is no kind (${ATTACHABLE.join(", ")})`);
    const refs: unknown[] = Array.isArray(value) ? value : [value];
    if (refs.length === 0 || !refs.every(isRef)) {
      throw new ConfigProblem(`${shown}: "${key}" must be { id: "..." } or { name: "..." }, or a list of them`);
    }
    read.set(key, refs);
  }
  return read;
}

const sameRef = (a: ResourceRef, b: ResourceRef) => a.id === b.id && a.name === b.name;

/**
 * What the command line and the files ask for, checked against each other; every problem in one line (exit 2).
 * `handlersFile` is absolute; `root` is the project, which paths are shown relative to.
 */
export async function externalSetup(
  handlersFile: string,
  commandLine: CommandLineAttachments,
  root: string,
): Promise<ExternalSetup> {
  const shown = (path: string) => (path.startsWith(root) ? relative(root, path) : path);
  const attachmentsFile = attachmentsFileOf(resolve(handlersFile));
  const setup = { handlersFile: shown(handlersFile), attachmentsFile: shown(attachmentsFile) };
  let implemented: ExternalKind[];
  try {
    implemented = await implementedExternalKinds(resolve(handlersFile), root);
  } catch (error) {
    // The build's own words when it names the file (`... must export externalHandlers`, a key that is no kind).
    const line = ((error as Error).message.split("\n")[0] ?? "").replaceAll(resolve(handlersFile), setup.handlersFile);
    throw new Fault(line.startsWith(setup.handlersFile) ? line : `${setup.handlersFile} does not load: ${line}`);
  }
  const fromFile = await readAttachmentsFile(attachmentsFile, setup.attachmentsFile);

  const problems: string[] = [];
  const byKind = new Map<ExternalKind, { refs: ResourceRef[]; from: string }>();
  const take = (sources: ReadonlyMap<AttachableKind, readonly ResourceRef[]>, from: string, replace: boolean) => {
    const given = new Map<ExternalKind, ResourceRef[]>();
    for (const [key, refs] of sources) {
      const kinds = kindsOf(key, implemented);
      if (kinds.length === 0) {
        problems.push(`${key} is attached in ${from}, but ${setup.handlersFile} implements no payment-gateway/* kind`);
      }
      for (const kind of kinds) given.set(kind, [...(given.get(kind) ?? []), ...refs]);
    }
    for (const [kind, refs] of given) {
      const kept = replace ? [] : (byKind.get(kind)?.refs ?? []);
      for (const ref of refs) if (!kept.some((other) => sameRef(other, ref))) kept.push(ref);
      byKind.set(kind, { refs: kept, from });
    }
  };
  take(fromFile, setup.attachmentsFile, false);
  // The command line's resources of a kind replace the file's: a one-off run against other resources.
  take(commandLine, "--attach", true);

  for (const [kind, { from }] of byKind) {
    if (!implemented.includes(kind)) {
      problems.push(
        `${kind} is attached in ${from}, but ${setup.handlersFile} does not implement it: implement it, or remove the attachment`,
      );
    }
  }
  const unattached = implemented.filter((kind) => !byKind.has(kind));
  if (unattached.length > 0) {
    const holders = [...new Set(unattached.map((kind) => EXTERNAL_KINDS[kind].holder))].join(", ");
    problems.push(
      `${unattached.join(", ")} ${unattached.length === 1 ? "is" : "are"} implemented in ${setup.handlersFile} but attached to no Commerce Layer resource (${holders}): name ${unattached.length === 1 ? "it" : "them"} in ${setup.attachmentsFile}, or give --attach <kind>=<id>`,
    );
  }
  if (problems.length > 0) throw new ConfigProblem(problems.join("; "));

  const attachments = EXTERNAL_KIND_NAMES.flatMap((kind) =>
    (byKind.get(kind)?.refs ?? []).map((ref) => ({ kind, ref })),
  );
  return { ...setup, implemented, attachments };
}
