package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// User is a row of users joined with its role's name and kind.
type User struct {
	ID                 string
	Name               string
	Email              string
	PasswordHash       string
	RoleID             string
	RoleName           string
	RoleKind           string
	Status             string
	MustChangePassword bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
	LastSignInAt       *time.Time
	// CompanyID and CompanyName: a portal account's client company ("" for none).
	CompanyID, CompanyName string
	// TwoFactor: the person signs in with a second factor (a confirmed authenticator).
	TwoFactor bool
}

// Status values.
const (
	StatusActive      = "active"
	StatusDeactivated = "deactivated"
)

// EmailKey is the form in which emails are compared: the login is case-insensitive.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// userColumns reads a user (FROM users u) with its role's name and kind. The role comes
// from correlated subqueries, not a JOIN: SQLite plans a join that compares a column with a
// bound parameter again every time the parameter is bound (the value could change the
// plan), which made a prepared point lookup three times the cost of the query itself;
// a subquery is planned once. The same holds for every lookup in this package.
const userColumns = `u.id, u.name, u.email, u.password_hash, u.role_id,
	(SELECT name FROM roles WHERE id = u.role_id), (SELECT kind FROM roles WHERE id = u.role_id), u.status,
	u.must_change_password, u.created_at, u.updated_at, u.last_sign_in_at,
	COALESCE((SELECT company_id FROM company_users WHERE user_id = u.id), ''),
	COALESCE((SELECT c.name FROM company_users cu JOIN companies c ON c.id = cu.company_id WHERE cu.user_id = u.id), ''),
	EXISTS (SELECT 1 FROM two_factor WHERE user_id = u.id AND confirmed_at IS NOT NULL)`

// roleKindOf is the kind of user u's role, for filters.
const roleKindOf = `(SELECT kind FROM roles WHERE id = u.role_id)`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var created, updated string
	var last sql.NullString
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &u.RoleID, &u.RoleName, &u.RoleKind,
		&u.Status, &u.MustChangePassword, &created, &updated, &last, &u.CompanyID, &u.CompanyName, &u.TwoFactor); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.LastSignInAt = parseTime(created), parseTime(updated), nullTime(last)
	return &u, nil
}

// User returns the user with id.
func (s *Store) User(ctx context.Context, id string) (*User, error) {
	u, err := scanUser(s.q.QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: user %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: user: %w", err)
	}
	return u, nil
}

// UsersByIDs returns the users with these ids by id, in one query (deleted ones are absent).
func (s *Store) UsersByIDs(ctx context.Context, ids []string) (map[string]*User, error) {
	out := make(map[string]*User, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users u
			WHERE u.id IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: users by id: %w", err)
		}
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: users by id: %w", err)
			}
			out[u.ID] = u
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: users by id: %w", err)
		}
		rows.Close()
	}
	return out, nil
}

// UserByEmail returns the user whose login is email (compared case-insensitively).
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, err := scanUser(s.q.QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users u WHERE u.email_key = ?`, EmailKey(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: user by email: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: user by email: %w", err)
	}
	return u, nil
}

// UserCount returns how many users exist.
func (s *Store) UserCount(ctx context.Context) (int, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// CreateUser inserts u. A duplicate email is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	now := formatTime(u.CreatedAt)
	_, err := s.q.ExecContext(ctx, `INSERT INTO users (id, name, name_key, email, email_key, password_hash,
		role_id, status, must_change_password, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		u.ID, u.Name, strings.ToLower(u.Name), u.Email, EmailKey(u.Email), u.PasswordHash, u.RoleID, u.Status,
		u.MustChangePassword, now, now)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: create user: email %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

// UpdateUser writes name, email and role of u (status has its own SetUserStatus).
func (s *Store) UpdateUser(ctx context.Context, u *User) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET name = ?, name_key = ?, email = ?, email_key = ?, role_id = ?,
		updated_at = ? WHERE id = ?`,
		u.Name, strings.ToLower(u.Name), u.Email, EmailKey(u.Email), u.RoleID, formatTime(u.UpdatedAt), u.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: update user: email %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: update user: %w", err)
	}
	return affectedOne(res, "update user")
}

func (s *Store) setUserRole(ctx context.Context, id, roleID string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET role_id = ?, updated_at = ? WHERE id = ?`, roleID, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("store: set role: %w", err)
	}
	return affectedOne(res, "set role")
}

// UpdateUserOnly writes the fields of u that differ from old: a role change alone does
// not rewrite the name and email (nor their indexes).
func (s *Store) UpdateUserOnly(ctx context.Context, u, old *User) error {
	if u.Name == old.Name && u.Email == old.Email {
		return s.setUserRole(ctx, u.ID, u.RoleID, u.UpdatedAt)
	}
	return s.UpdateUser(ctx, u)
}

// SetUserPassword stores a new password hash and whether it must be changed at next
// sign-in.
func (s *Store) SetUserPassword(ctx context.Context, id, hash string, mustChange bool, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?`,
		hash, mustChange, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	if err := affectedOne(res, "set password"); err != nil {
		return err
	}
	// A welcome mail not sent yet carries a link or password the new one replaces.
	return s.CancelUserMails(ctx, id, "The password was set another way meanwhile.", "welcome")
}

// VoidMailedPassword drops the password a welcome mail carried to userID, if one did and
// they have not chosen their own yet: called when their email changes, because whoever
// read the mail at the old address must not sign in at the new one. It reports whether
// it did.
func (s *Store) VoidMailedPassword(ctx context.Context, userID string, at time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET password_hash = '', updated_at = ? WHERE id = ? AND must_change_password = 1
		AND password_hash <> '' AND EXISTS (SELECT 1 FROM outbox WHERE to_user_id = ? AND kind = 'welcome'
		AND `+s.pick(`json_extract(params, '$.with')`, `(params::json ->> 'with')`)+` = 'password')`, formatTime(at), userID, userID)
	if err != nil {
		return false, fmt.Errorf("store: void mailed password: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := s.CancelUserMails(ctx, userID, "The account's email changed.", "welcome", "reset"); err != nil {
		return false, err
	}
	return n > 0, nil
}

// TouchUserSignIn records a successful sign-in.
func (s *Store) TouchUserSignIn(ctx context.Context, id string, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE users SET last_sign_in_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
		return fmt.Errorf("store: touch sign-in: %w", err)
	}
	return nil
}

// DeleteUser removes the user; their sessions go with them (ON DELETE CASCADE).
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete user: %w", err)
	}
	return affectedOne(res, "delete user")
}

// ReassignUsersRole moves every user of role from to role to.
func (s *Store) ReassignUsersRole(ctx context.Context, from, to string, at time.Time) (int64, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET role_id = ?, updated_at = ? WHERE role_id = ?`, to, formatTime(at), from)
	if err != nil {
		return 0, fmt.Errorf("store: reassign users: %w", err)
	}
	return res.RowsAffected()
}

// UserIndexRow is what the authorization index keeps of a user.
type UserIndexRow struct{ ID, RoleID, Status string }

// UserIndexRows returns every user's id, role and status, for building the index.
func (s *Store) UserIndexRows(ctx context.Context) ([]UserIndexRow, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, role_id, status FROM users`)
	if err != nil {
		return nil, fmt.Errorf("store: user index: %w", err)
	}
	defer rows.Close()
	var out []UserIndexRow
	for rows.Next() {
		var r UserIndexRow
		if err := rows.Scan(&r.ID, &r.RoleID, &r.Status); err != nil {
			return nil, fmt.Errorf("store: user index: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UserFilter selects users for a list. Kinds, when not nil, limits the result to users
// whose role has one of those kinds (what the actor may see); an empty non-nil slice
// matches nothing.
type UserFilter struct {
	Query  string
	RoleID string
	Kind   string
	Status string
	Kinds  []string
	IDs    []string // when not nil, only these users
	Sort   string   // name | email | createdAt
	Desc   bool
	Limit  int
	After  *UserCursor
}

// UserCursor is the keyset position after which the next page starts.
type UserCursor struct {
	Value string
	ID    string
}

var userSortColumns = map[string]string{"name": "u.name_key", "email": "u.email_key", "createdAt": "u.created_at"}

// SortValue is the value of the sort column for u, for building a cursor.
func (f *UserFilter) SortValue(u *User) string {
	switch f.Sort {
	case "email":
		return EmailKey(u.Email)
	case "createdAt":
		return formatTime(u.CreatedAt)
	}
	return strings.ToLower(u.Name)
}

func (f *UserFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Query != "" {
		p := likePattern(strings.ToLower(strings.TrimSpace(f.Query)))
		conds = append(conds, `(u.name_key LIKE ? ESCAPE '\' OR u.email_key LIKE ? ESCAPE '\')`)
		args = append(args, p, p)
	}
	if f.RoleID != "" {
		conds = append(conds, `u.role_id = ?`)
		args = append(args, f.RoleID)
	}
	if f.Kind != "" {
		conds = append(conds, roleKindOf+` = ?`)
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		conds = append(conds, `u.status = ?`)
		args = append(args, f.Status)
	}
	if f.Kinds != nil {
		if len(f.Kinds) == 0 {
			conds = append(conds, `1 = 0`)
		} else {
			conds = append(conds, roleKindOf+` IN (?`+strings.Repeat(",?", len(f.Kinds)-1)+`)`)
			for _, k := range f.Kinds {
				args = append(args, k)
			}
		}
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			conds = append(conds, `1 = 0`)
		} else {
			conds = append(conds, `u.id IN (?`+strings.Repeat(",?", len(f.IDs)-1)+`)`)
			for _, id := range f.IDs {
				args = append(args, id)
			}
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Users returns one page of users matching f, and how many match in all.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]*User, int, error) {
	col, ok := userSortColumns[f.Sort]
	if !ok {
		col, f.Sort = "u.name_key", "name"
	}
	where, args := f.where()
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count users: %w", err)
	}
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	if f.After != nil {
		keyset := fmt.Sprintf(`(%s %s ? OR (%s = ? AND u.id %s ?))`, col, cmp, col, cmp)
		if where == "" {
			where = " WHERE " + keyset
		} else {
			where += " AND " + keyset
		}
		args = append(args, f.After.Value, f.After.Value, f.After.ID)
	}
	args = append(args, f.Limit)
	rows, err := s.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users u`+where+
		fmt.Sprintf(` ORDER BY %s %s, u.id %s LIMIT ?`, col, dir, dir), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

func affectedOne(res sql.Result, op string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s: %w", op, ErrNotFound)
	}
	return nil
}

// UserIDs returns the id of every user.
func (s *Store) UserIDs(ctx context.Context) ([]string, error) {
	ids, err := s.idList(ctx, `SELECT id FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: user ids: %w", err)
	}
	return ids, nil
}

// UserIDsByRole returns the ids of every user holding role.
func (s *Store) UserIDsByRole(ctx context.Context, roleID string) ([]string, error) {
	ids, err := s.idList(ctx, `SELECT id FROM users WHERE role_id = ?`, roleID)
	if err != nil {
		return nil, fmt.Errorf("store: users by role: %w", err)
	}
	return ids, nil
}

// SetUserStatus changes a user's status.
func (s *Store) SetUserStatus(ctx context.Context, id, status string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET status = ?, updated_at = ? WHERE id = ?`, status, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("store: set status: %w", err)
	}
	if err := affectedOne(res, "set status"); err != nil {
		return err
	}
	// A deactivation ends the account's password links: a reactivation does not revive them.
	return s.EndPasswordLinks(ctx, id, at)
}

// Person is a user as shown beside what they did or are on: id, name, kind and status.
type Person struct {
	ID     string
	Name   string
	Kind   string
	Active bool
}

// People returns the users with these ids (deleted ones are left out), in one query.
func (s *Store) People(ctx context.Context, ids []string) ([]Person, error) {
	out := make([]Person, 0, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.q.QueryContext(ctx, `SELECT u.id, u.name, `+roleKindOf+`, u.status FROM users u
			WHERE u.id IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: people: %w", err)
		}
		for rows.Next() {
			var p Person
			var status string
			if err := rows.Scan(&p.ID, &p.Name, &p.Kind, &status); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: people: %w", err)
			}
			p.Active = status == StatusActive
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: people: %w", err)
		}
		rows.Close()
	}
	// In the order asked for.
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	sort.Slice(out, func(i, j int) bool { return pos[out[i].ID] < pos[out[j].ID] })
	return out, nil
}
