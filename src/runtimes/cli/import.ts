/**
 * `firewatch import pagerduty|opsgenie`: reads a vendor dump (or fetches one with a read-only
 * key), writes the `oncall:` section, and prints the self-check. Kept beside cli.ts so the
 * command table there only gains a row; the conversion itself is pure, in
 * src/domain/schedule/import.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { importOpsgenie } from '../../domain/schedule/import/importOpsgenie.ts';
import { importPagerDuty, type ImportOptions } from '../../domain/schedule/import/importPagerDuty.ts';
import type { ImportResult } from '../../domain/schedule/import/importResult.ts';
import { EMPTY_PEOPLE_MAP, parsePeopleMap, type PeopleMap } from '../../domain/schedule/import/peopleMap.ts';
import { renderOncallYaml } from '../../domain/schedule/import/renderOncallYaml.ts';
import { formatImportReport, selfCheck } from '../../domain/schedule/import/selfCheck.ts';
import { scheduleConfigSchema } from '../../domain/schedule/scheduleConfig.ts';
import { fetchOpsgenie, OPSGENIE_API } from '../../features/importSchedules/fetchOpsgenie.ts';
import { fetchPagerDuty } from '../../features/importSchedules/fetchPagerDuty.ts';
import { opsgenieDumpFromFiles, pagerDutyDumpFromFiles, readDumpFiles, writeDumpFiles, type DumpFiles } from '../../features/importSchedules/vendorDump.ts';
import { type VendorHttp } from '../../features/importSchedules/vendorHttp.ts';
import { text, USAGE_ERROR, type Io, type Values } from './support.ts';
import { DumpError, VendorApiError } from '../../domain/errors/errors.ts';

const WEEKS = 4;
const KEY_ENV = { pagerduty: 'PAGERDUTY_API_KEY', opsgenie: 'OPSGENIE_API_KEY' } as const;


function fail(io: Io, message: string, code = USAGE_ERROR): number {
  io.stderr.write(`error: ${message}\n`);
  return code;
}

function readPeople(file: string | undefined): PeopleMap | string {
  if (file === undefined) return EMPTY_PEOPLE_MAP;
  let body: string;
  try {
    body = readFileSync(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    return `cannot read --people ${file}: ${code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}`;
  }
  const parsed = parsePeopleMap(body);
  if (parsed.ok) return parsed.map;
  return `--people ${file}: ${parsed.problems.join('; ')}`;
}

/** Refuses to overwrite a file that holds settings besides `oncall`, which the import would lose. */
function checkOut(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  let existing: unknown;
  try {
    existing = yaml.load(readFileSync(file, 'utf8'), { schema: yaml.CORE_SCHEMA });
  } catch {
    return `--out ${file} exists and is not YAML; write to a new file`;
  }
  const keys = existing && typeof existing === 'object' ? Object.keys(existing).filter((key) => key !== 'oncall') : [];
  return keys.length > 0 ? `--out ${file} holds other settings (${keys.join(', ')}); write to a new file and paste its oncall section in` : undefined;
}

export async function importCli(input: { values: Values; positionals: string[] }, io: Io): Promise<number> {
  const { values, positionals } = input;
  const [vendor, ...extra] = positionals;
  if ((vendor !== 'pagerduty' && vendor !== 'opsgenie') || extra.length > 0) return fail(io, 'import takes one vendor: firewatch import pagerduty|opsgenie (--from DIR | --key KEY) (see --help)');
  const from = text(values, 'from');
  const key = text(values, 'key') ?? (from === undefined ? io.env[KEY_ENV[vendor]] : undefined);
  if ((from === undefined) === (key === undefined)) return fail(io, `give either --from DIR (a dump) or --key KEY (or $${KEY_ENV[vendor]}) to fetch one`);
  const region = text(values, 'region');
  if (region !== undefined && (vendor !== 'opsgenie' || (region !== 'us' && region !== 'eu'))) return fail(io, '--region is us or eu, for opsgenie');
  const sinceText = text(values, 'since');
  const since = sinceText === undefined ? new Date() : new Date(sinceText);
  if (Number.isNaN(since.getTime())) return fail(io, `--since "${sinceText}" is not an ISO-8601 time`);
  if (sinceText !== undefined && from !== undefined) return fail(io, '--since applies when fetching with --key; a dump keeps the window it was fetched for (window.json)');
  const apiUrl = text(values, 'api-url');
  if (apiUrl !== undefined && !URL.canParse(apiUrl)) return fail(io, `--api-url "${apiUrl}" is not a URL`);
  const people = readPeople(text(values, 'people'));
  if (typeof people === 'string') return fail(io, people);
  const out = text(values, 'out');
  const outProblem = out ? checkOut(out) : undefined;
  if (outProblem) return fail(io, outProblem);
  const schedules = text(values, 'schedule')?.split(',').map((item) => item.trim()).filter(Boolean);
  const policy = text(values, 'policy');
  const options: ImportOptions = { people, ...(schedules?.length ? { schedules } : {}), ...(policy ? { policy } : {}) };

  let result: ImportResult;
  try {
    let files: DumpFiles;
    if (key !== undefined) {
      const http: VendorHttp = { fetch: globalThis.fetch, progress: (line) => io.stderr.write(`${line}\n`) };
      const until = new Date(since.getTime() + WEEKS * 7 * 86_400_000);
      files =
        vendor === 'pagerduty'
          ? await fetchPagerDuty({ key, since, until, ...(apiUrl ? { baseUrl: apiUrl } : {}), ...(schedules?.length ? { schedules } : {}) }, http)
          : await fetchOpsgenie({ key, since, weeks: WEEKS, baseUrl: apiUrl ?? OPSGENIE_API[region === 'eu' ? 'eu' : 'us'], ...(schedules?.length ? { schedules } : {}) }, http);
      const save = text(values, 'save');
      if (save) {
        writeDumpFiles(save, files);
        io.stderr.write(`saved ${files.size} API responses in ${save} (re-run with --from ${save})\n`);
      }
    } else {
      files = readDumpFiles(from as string);
    }
    result = vendor === 'pagerduty' ? importPagerDuty(pagerDutyDumpFromFiles(files), options) : importOpsgenie(opsgenieDumpFromFiles(files), options);
  } catch (error) {
    if (error instanceof DumpError || error instanceof VendorApiError) return fail(io, error.message, 1);
    throw error;
  }

  const valid = scheduleConfigSchema.safeParse(result.oncall);
  if (!valid.success) return fail(io, `the imported section is not valid (please report this with the dump): ${valid.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`, 1);
  const check = selfCheck(result);
  const section = renderOncallYaml(result, new Date());
  const report = formatImportReport(result, check, typeof result.oncall.timezone === 'string' ? result.oncall.timezone : 'UTC');
  if (out) {
    writeFileSync(out, section);
    io.stdout.write(`wrote the oncall section (${result.oncall.layers?.length ?? 0} layers) to ${out}; check it with: firewatch validate-config ${out}\n${report}`);
  } else {
    io.stdout.write(section);
    io.stderr.write(report);
  }
  return check.differences.length > 0 ? 1 : 0;
}
