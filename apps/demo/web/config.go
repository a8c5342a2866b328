package main

import (
	"fmt"
	"net/url"
	"strings"
)

type config struct {
	Port        string
	URL         string // full connection string, may carry credentials: never log it
	RedactedURL string
	Database    string
	Username    string
	Password    string
	AuthSource  string // "" when the URL already names one
}

// configFromEnv reads the app's settings; getenv is os.Getenv (a parameter for tests).
func configFromEnv(getenv func(string) string) (config, error) {
	c := config{
		Port:     getenv("PORT"),
		URL:      getenv("MONGO_URL"),
		Username: getenv("MONGO_USERNAME"),
		Password: getenv("MONGO_PASSWORD"),
	}
	if c.Port == "" {
		c.Port = "8080"
	}
	if c.URL == "" {
		c.URL = "mongodb://127.0.0.1:27017/demo"
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") {
		return c, fmt.Errorf("MONGO_URL must be a mongodb:// connection string like mongodb://db:27017/demo")
	}
	c.Database = strings.TrimPrefix(u.Path, "/")
	if c.Database == "" {
		c.Database = "demo"
	}
	if c.Username != "" && !u.Query().Has("authSource") {
		c.AuthSource = getenv("MONGO_AUTH_SOURCE")
		if c.AuthSource == "" {
			c.AuthSource = "admin" // where the mongo image creates its root user
		}
	}
	c.RedactedURL = u.Redacted()
	return c, nil
}
