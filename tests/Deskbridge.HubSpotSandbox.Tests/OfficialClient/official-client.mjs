// HubSpot's official Node client, pointed at the sandbox. Prints one JSON line of what it saw; any mismatch throws.
import hubspot from '@hubspot/api-client';

const [, , basePath, accessToken, aiUserId] = process.argv;
const client = new hubspot.Client({ accessToken, basePath: basePath.replace(/\/$/, ''), numberOfApiCallRetries: 0 });
const seen = {};

const email = `official-${Date.now()}@example.com`;
const created = await client.crm.contacts.basicApi.create({ properties: { email, firstname: 'Ofelia' }, associations: [] });
seen.contactId = created.id;
seen.contactEmail = created.properties.email;

const found = await client.crm.contacts.searchApi.doSearch({
  filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }],
  properties: ['email', 'firstname'], limit: 10, after: '0', sorts: [],
});
seen.searchTotal = found.total;
seen.searchFirstId = found.results[0]?.id;

try {
  await client.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
  seen.duplicate = 'no error';
} catch (e) {
  seen.duplicateStatus = e.code;
  seen.duplicateMessage = e.body?.message;
}

const owner = await client.crm.owners.ownersApi.getById(Number(aiUserId), 'userId');
seen.ownerUserId = owner.userId;

const ticket = await client.crm.tickets.basicApi.create({
  properties: { subject: 'Official client ticket', hs_pipeline: '0', hs_pipeline_stage: '1' },
  associations: [{ to: { id: created.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }] }],
});
seen.ticketId = ticket.id;
const updated = await client.crm.tickets.basicApi.update(ticket.id, { properties: { hs_ticket_priority: 'HIGH' } });
seen.ticketPriority = updated.properties.hs_ticket_priority;

const associations = await client.crm.associations.v4.basicApi.getPage('tickets', ticket.id, 'contacts');
seen.ticketContactIds = associations.results.map(r => String(r.toObjectId));

try {
  await client.crm.tickets.basicApi.getById('999999999');
} catch (e) {
  seen.missingTicketStatus = e.code;
}

// The Conversations inbox API has no generated client; the official client's generic request is what people use.
const threads = await client.apiRequest({ method: 'GET', path: '/conversations/v3/conversations/threads?limit=5' });
seen.threadsStatus = threads.status;
seen.threadCount = (await threads.json()).results.length;

console.log(JSON.stringify(seen));
