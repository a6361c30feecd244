package authz

import (
	"slices"
	"strings"

	"gatehouse/backend/apperr"
)

// Team chat and 1:1 messages. A channel is named by its id, so the index needs no record
// of it: "everyone" (every internal user with chat.team), "team:<team id>" (the team's
// members with chat.team) and "dm:<a>:<b>" (the two people, a < b, each with
// chat.direct). Chat is for the team: a client writes to it through project discussions.

// EveryoneChannel is the channel of every internal user.
const EveryoneChannel = "everyone"

// TeamChannel is the id of a team's channel.
func TeamChannel(teamID string) string { return "team:" + teamID }

// DirectChannel is the id of the 1:1 conversation of two people.
func DirectChannel(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return "dm:" + a + ":" + b
}

type chanKind uint8

const (
	chanEveryone chanKind = iota + 1
	chanTeam
	chanDirect
)

type channel struct {
	kind chanKind
	team handle
	a, b handle // chanDirect: the two people
}

// channel reads a channel id: ok is false for an id that names no channel (an unknown
// team or person, one person twice, or the pair out of order).
func (x *index) channel(id string) (channel, bool) {
	switch {
	case id == EveryoneChannel:
		return channel{kind: chanEveryone, team: none, a: none, b: none}, true
	case strings.HasPrefix(id, "team:"):
		if _, th := x.team(id[len("team:"):]); th != none {
			return channel{kind: chanTeam, team: th, a: none, b: none}, true
		}
	case strings.HasPrefix(id, "dm:"):
		a, b, ok := strings.Cut(id[len("dm:"):], ":")
		if !ok || a >= b {
			return channel{}, false
		}
		ha, okA := x.userIDs.lookup(a)
		hb, okB := x.userIDs.lookup(b)
		if okA && okB {
			return channel{kind: chanDirect, team: none, a: ha, b: hb}, true
		}
	}
	return channel{}, false
}

// ChannelPost is the action of writing in a channel: chat.direct in a 1:1 conversation,
// chat.team elsewhere.
func ChannelPost(id string) Action {
	if strings.HasPrefix(id, "dm:") {
		return ChatDirect
	}
	return ChatTeam
}

var (
	hiddenChannel = apperr.NotFoundf("No such conversation.")
	ownChat       = apperr.New(apperr.Forbidden, "own_messages", "You can change only your own messages.")
	cannotReceive = apperr.New(apperr.Conflict, "cannot_receive",
		"This person cannot receive 1:1 messages now: their account is deleted or deactivated, or their role does not hold chat.direct.")
)

// seesChannel is who reads a channel.
func (rd *Reader) seesChannel(v *view, c channel, y *why) bool {
	if v.client {
		return y.miss("Chat is for the team; clients write to it in project discussions.")
	}
	switch c.kind {
	case chanEveryone:
		if !v.has(ChatTeam) {
			return y.miss("The role %s does not hold chat.team.", v.r.name)
		}
		y.path(Path{Kind: "role_scope"})
	case chanTeam:
		if !v.has(ChatTeam) {
			return y.miss("The role %s does not hold chat.team.", v.r.name)
		}
		if !v.u.teams.has(c.team) {
			return y.miss("This person is not a member of the team %s.", rd.x.teams[c.team].name)
		}
		y.path(Path{Kind: "team", Via: rd.x.teams[c.team].id, Name: rd.x.teams[c.team].name})
	case chanDirect:
		if !v.has(ChatDirect) {
			return y.miss("The role %s does not hold chat.direct.", v.r.name)
		}
		if v.uh != c.a && v.uh != c.b {
			return y.miss("A 1:1 conversation is read only by its two people.")
		}
	default:
		return false
	}
	return v.also == nil || rd.seesChannel(v.also, c, nil)
}

func (rd *Reader) decideChannel(v *view, a Action, id string, c *Change, y *why) error {
	ch, ok := rd.x.channel(id)
	if !ok || !rd.seesChannel(v, ch, y) {
		return hiddenChannel
	}
	switch {
	case a == View:
		return nil
	case a != ChannelPost(id):
		return notApplicable(a, Channel)
	case c.Author != "" && c.Author != v.u.id:
		return ownChat
	case ch.kind == chanDirect && c.Author == "":
		// A new message: the other person must be able to read it.
		other := ch.a
		if other == v.uh {
			other = ch.b
		}
		if !rd.mayReadDirect(other) {
			return cannotReceive
		}
	}
	return nil
}

// mayReadDirect: user uh is an active internal account holding chat.direct.
func (rd *Reader) mayReadDirect(uh handle) bool {
	u := &rd.x.users[uh]
	if !u.alive || !u.active || u.role < 0 {
		return false
	}
	r := rd.x.roleOf(u)
	return r.alive && r.kind == KindInternal && r.holds(ChatDirect)
}

// ChatChannel is a channel an actor reads (team channels and the channel of everyone).
type ChatChannel struct {
	ID, Name, TeamID string
}

// ChatChannels lists the team channels actor reads: everyone's, then their teams' by name.
func (a *Authorizer) ChatChannels(actor Actor) ([]ChatChannel, error) {
	var out []ChatChannel
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		if rd.decideChannel(&v, View, EveryoneChannel, &Change{}, nil) == nil {
			out = append(out, ChatChannel{ID: EveryoneChannel, Name: "Everyone"})
		}
		n := len(out)
		v.u.teams.each(func(th handle) {
			t := rd.x.teams[th]
			if id := TeamChannel(t.id); t.alive && rd.decideChannel(&v, View, id, &Change{}, nil) == nil {
				out = append(out, ChatChannel{ID: id, Name: t.name, TeamID: t.id})
			}
		})
		slices.SortFunc(out[n:], func(a, b ChatChannel) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
		return nil
	})
	return out, err
}

// DirectPeople lists the people actor may write to one to one: each of them and the actor
// may write in their conversation.
func (a *Authorizer) DirectPeople(actor Actor) ([]string, error) {
	var out []string
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		for uh := range rd.x.users {
			u := &rd.x.users[uh]
			if handle(uh) != v.uh && u.alive && rd.decideChannel(&v, ChatDirect, DirectChannel(v.u.id, u.id), &Change{}, nil) == nil {
				out = append(out, u.id)
			}
		}
		return nil
	})
	return out, err
}
