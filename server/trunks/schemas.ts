import { Type } from '@sinclair/typebox';

const Entry = Type.String({ description: 'ivr (Russian), ivr-en, or queue:<queue id>' });

export const TrunkView = Type.Object({
  name: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tls')]),
  match: Type.Array(Type.String()),
  callerIdFrom: Type.Union([Type.Literal('from'), Type.Literal('pai')]),
  outbound: Type.Boolean(),
  dids: Type.Array(Type.Object({ number: Type.String(), entry: Entry })),
  defaultEntry: Entry,
  registration: Type.Union([Type.Null(), Type.Object({
    username: Type.String(),
    state: Type.Union([Type.Literal('registered'), Type.Literal('unregistered'), Type.Literal('rejected'), Type.Literal('stopped'), Type.Literal('unknown')]),
    since: Type.Union([Type.String(), Type.Null()]),
  })]),
});

export const TrunksReply = Type.Object({
  trunks: Type.Array(TrunkView),
  refused: Type.Object({
    total: Type.Integer(),
    watching: Type.Boolean(),
    byAddress: Type.Array(Type.Object({ address: Type.String(), count: Type.Integer(), lastAt: Type.String(), lastFrom: Type.String() })),
  }),
});
