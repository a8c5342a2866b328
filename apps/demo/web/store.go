package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// errNotFound is returned by Get for a missing key.
var errNotFound = errors.New("marker not found")

type marker struct {
	Key   string `bson:"_id"`
	Value string `bson:"value"`
}

// store is what the HTTP handlers need from the database.
type store interface {
	Ping(ctx context.Context) error
	Put(ctx context.Context, key, value string) error
	Get(ctx context.Context, key string) (string, error)
	List(ctx context.Context, limit int64) ([]marker, error)
	Close(ctx context.Context) error
}

type mongoStore struct {
	client  *mongo.Client
	markers *mongo.Collection
}

func newMongoStore(c config) (*mongoStore, error) {
	opts := options.Client().ApplyURI(c.URL).
		SetServerSelectionTimeout(5 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetAppName("berth-demo-web")
	if c.Username != "" {
		cred := options.Credential{Username: c.Username, Password: c.Password}
		if c.AuthSource != "" {
			cred.AuthSource = c.AuthSource
		}
		opts.SetAuth(cred)
	}
	// Connect does not dial; the first operation (or /readyz) does, so the app starts without its database.
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("MONGO_URL %s: %w", c.RedactedURL, err)
	}
	return &mongoStore{client: client, markers: client.Database(c.Database).Collection("markers")}, nil
}

func (s *mongoStore) Ping(ctx context.Context) error { return s.client.Ping(ctx, readpref.Primary()) }

func (s *mongoStore) Put(ctx context.Context, key, value string) error {
	_, err := s.markers.ReplaceOne(ctx, bson.D{{Key: "_id", Value: key}}, marker{Key: key, Value: value},
		options.Replace().SetUpsert(true))
	return err
}

func (s *mongoStore) Get(ctx context.Context, key string) (string, error) {
	var m marker
	err := s.markers.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&m)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", errNotFound
	}
	return m.Value, err
}

func (s *mongoStore) List(ctx context.Context, limit int64) ([]marker, error) {
	cur, err := s.markers.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(limit))
	if err != nil {
		return nil, err
	}
	var out []marker
	if err := cur.All(ctx, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *mongoStore) Close(ctx context.Context) error { return s.client.Disconnect(ctx) }
