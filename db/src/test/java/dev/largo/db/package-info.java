package dev.largo.db;
