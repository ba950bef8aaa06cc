import { contract } from './conformance';

/** The checker itself: a conformance check that cannot fail would prove nothing. */
describe('the conformance check', () => {
  afterEach(() => contract.violations.splice(0));

  const clubs = { storePosition: 33, clubs: ['juventus', 'marseille'] };

  it('passes an answer the document declares', () => {
    contract.checkResponse('GET', '/v1/clubs', 200, 'application/json; charset=utf-8', JSON.stringify(clubs));
    expect(contract.violations).toEqual([]);
  });

  it('flags a field the document does not declare, a missing one, and a wrong type', () => {
    const send = (body: unknown) =>
      contract.checkResponse('GET', '/v1/clubs', 200, 'application/json', JSON.stringify(body));
    send({ ...clubs, position: 33 });
    send({ clubs: ['juventus'] });
    send({ ...clubs, storePosition: '33' });
    expect(contract.violations).toEqual([
      expect.stringContaining('must NOT have additional properties'),
      expect.stringContaining("must have required property 'storePosition'"),
      expect.stringContaining('must be integer'),
    ]);
  });

  it('flags a status or a content type the operation does not declare', () => {
    contract.checkResponse('GET', '/v1/clubs', 418, 'application/json', '{}');
    contract.checkResponse('GET', '/v1/clubs/:club/squad-depth', 200, 'text/html', '<p>');
    expect(contract.violations).toEqual([
      expect.stringContaining('answered 418, which the document does not declare'),
      expect.stringContaining('answered text/html'),
    ]);
  });

  it('checks problem details and SSE messages by their schemas', () => {
    contract.checkResponse('GET', '/v1/clubs', 400, 'application/problem+json', JSON.stringify({ status: 400 }));
    contract.checkMessage('update', JSON.stringify({ storePosition: 3, changes: [{ model: 'nonsense', club: 'x' }] }));
    contract.checkMessage('surprise', '{}');
    expect(contract.violations).toHaveLength(3);
    expect(contract.violations[2]).toContain('undocumented event "surprise"');
  });
});
