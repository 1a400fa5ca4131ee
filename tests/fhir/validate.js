#!/usr/bin/env node
// Checks a FHIR R4 bundle written by `securebase journal export --format fhir`
// with the `fhir` package's validator (structure, cardinality, types, value
// sets it ships), then the links the export promises: every reference points
// at an entry of the bundle, every response at its questionnaire, no
// questionnaire item carries wording. Prints one line per problem and a
// closing count; exits 1 if anything is wrong.
// Usage: node tests/fhir/validate.js BUNDLE.json
'use strict';

const fs = require('fs');
const { Fhir } = require('fhir');

const path = process.argv[2];
if (!path) {
    console.error('usage: node validate.js BUNDLE.json');
    process.exit(2);
}
const bundle = JSON.parse(fs.readFileSync(path, 'utf8'));
const problems = [];

// Observation.code is bound to LOINC's observation codes by example only;
// codes of the export's own CodeSystems are expected to be outside it.
const ownSystem = 'https://securebase.invalid/fhir/CodeSystem/';
const result = new Fhir().validate(bundle, { errorOnUnexpected: true });
for (const m of result.messages) {
    if (m.severity === 'information' || m.severity === 'info')
        continue;
    const exampleBinding = m.location === 'Observation.code' &&
        m.severity === 'warning' && m.message.includes(ownSystem);
    if (!exampleBinding)
        problems.push(`${m.severity} ${m.resourceId} ${m.location}: ${m.message}`);
}
if (!result.valid)
    problems.push('the fhir validator judged the bundle invalid');

if (bundle.resourceType !== 'Bundle' || bundle.type !== 'collection')
    problems.push('not a collection Bundle');
const entries = bundle.entry || [];
const byUrl = new Map();
for (const e of entries) {
    if (!/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(e.fullUrl))
        problems.push(`fullUrl ${e.fullUrl} is not a urn:uuid`);
    if (byUrl.has(e.fullUrl))
        problems.push(`fullUrl ${e.fullUrl} appears twice`);
    byUrl.set(e.fullUrl, e.resource);
}
const canonical = new Map();
for (const e of entries)
    if (e.resource.url)
        canonical.set(e.resource.url, e.resource);

function refersTo(ref, type, where) {
    const target = ref && byUrl.get(ref.reference);
    if (!target)
        problems.push(`${where}: reference ${ref && ref.reference} is not in the bundle`);
    else if (target.resourceType !== type)
        problems.push(`${where}: reference points at a ${target.resourceType}, not a ${type}`);
    return target;
}

const counts = {};
for (const e of entries) {
    const r = e.resource;
    counts[r.resourceType] = (counts[r.resourceType] || 0) + 1;
    const where = `${r.resourceType}/${r.id}`;
    if (r.resourceType === 'Questionnaire') {
        for (const item of r.item || [])
            if ('text' in item || 'prefix' in item)
                problems.push(`${where}: item ${item.linkId} carries wording`);
    } else if (r.resourceType === 'QuestionnaireResponse') {
        refersTo(r.subject, 'Patient', where);
        const q = canonical.get(r.questionnaire);
        if (!q || q.resourceType !== 'Questionnaire') {
            problems.push(`${where}: questionnaire ${r.questionnaire} is not in the bundle`);
            continue;
        }
        const options = new Map(q.item.map(i => [i.linkId,
            new Set(i.answerOption.map(o => o.valueInteger))]));
        for (const item of r.item || []) {
            const allowed = options.get(item.linkId);
            if (!allowed)
                problems.push(`${where}: item ${item.linkId} is not in ${q.id}`);
            else if (!item.answer.every(a => allowed.has(a.valueInteger)))
                problems.push(`${where}: item ${item.linkId} answer outside ${q.id}'s options`);
        }
    } else if (r.resourceType === 'Observation') {
        refersTo(r.subject, 'Patient', where);
        for (const d of r.derivedFrom || [])
            refersTo(d, 'QuestionnaireResponse', where);
        const cs = canonical.get(r.code.coding[0].system);
        if (!cs || cs.resourceType !== 'CodeSystem' ||
            !cs.concept.some(c => c.code === r.code.coding[0].code))
            problems.push(`${where}: code ${r.code.coding[0].code} is not in its CodeSystem`);
    }
}

for (const p of problems)
    console.log(p);
const summary = Object.keys(counts).sort().map(k => `${counts[k]} ${k}`).join(', ');
console.log(`fhir: ${entries.length} entries (${summary})`);
console.log(`${problems.length ? 0 : 1} passed, ${problems.length ? 1 : 0} failed`);
process.exit(problems.length ? 1 : 0);
