package dev.cas.plugins.ragretrieval;

import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.HttpRoutes.Request;
import dev.cas.plugin.api.HttpRoutes.Response;
import dev.cas.plugin.api.UserInfo;

/**
 * The plugin's HTTP routes under {@code /api/plugins/rag-retrieval}: each parses its request, calls
 * {@link Library} or {@link Retriever} as the authenticated user, and writes JSON. A {@link
 * RagException} becomes its status here, in one place, with body {@code {"error": {code, status,
 * message}}}; anything else is left to the host (a 500 naming the plugin).
 */
final class RagRoutes {

  private static final String COLLECTIONS = "/collections";
  private static final String COLLECTION = "/collections/{collectionId}";
  private static final String DOCUMENTS = COLLECTION + "/documents";
  private static final String DOCUMENT = DOCUMENTS + "/{documentId}";

  /** One route's work, given the calling user's id. */
  @FunctionalInterface
  private interface Action {
    Object run(String user, Request request);
  }

  private final Library library;
  private final Retriever retriever;

  RagRoutes(Library library, Retriever retriever) {
    this.library = library;
    this.retriever = retriever;
  }

  void registerOn(HttpRoutes routes) {
    routes.register("POST", COLLECTIONS, handler(201, this::createCollection));
    routes.register("GET", COLLECTIONS, handler(200, this::listCollections));
    routes.register("GET", COLLECTION, handler(200, this::getCollection));
    routes.register("DELETE", COLLECTION, handler(204, this::deleteCollection));
    routes.register("POST", DOCUMENTS, handler(201, this::addDocument));
    routes.register("GET", DOCUMENTS, handler(200, this::listDocuments));
    routes.register("GET", DOCUMENT, handler(200, this::getDocument));
    routes.register("DELETE", DOCUMENT, handler(204, this::deleteDocument));
    routes.register("POST", COLLECTION + "/search", handler(200, this::search));
    routes.register("POST", COLLECTION + "/answer", handler(200, this::answer));
  }

  private Object createCollection(String user, Request r) {
    Requests.NewCollection request = Requests.NewCollection.from(JsonCodec.readObject(r.body()));
    return JsonCodec.collection(library.create(user, request));
  }

  private Object listCollections(String user, Request r) {
    return library.collections(user).stream().map(JsonCodec::collection).toList();
  }

  private Object getCollection(String user, Request r) {
    return JsonCodec.collection(library.collection(user, id(r, "collectionId")));
  }

  private Object deleteCollection(String user, Request r) {
    library.deleteCollection(user, id(r, "collectionId"));
    return null;
  }

  private Object addDocument(String user, Request r) {
    Requests.NewDocument request = Requests.NewDocument.from(JsonCodec.readObject(r.body()));
    return JsonCodec.document(library.addDocument(user, id(r, "collectionId"), request));
  }

  private Object listDocuments(String user, Request r) {
    return library.documents(user, id(r, "collectionId")).stream()
        .map(JsonCodec::document)
        .toList();
  }

  private Object getDocument(String user, Request r) {
    return JsonCodec.documentDetail(
        library.document(user, id(r, "collectionId"), id(r, "documentId")));
  }

  private Object deleteDocument(String user, Request r) {
    library.deleteDocument(user, id(r, "collectionId"), id(r, "documentId"));
    return null;
  }

  private Object search(String user, Request r) {
    Requests.Question q = Requests.Question.from(JsonCodec.readObject(r.body()), "query");
    return JsonCodec.searchResult(q.text(), retriever.search(user, id(r, "collectionId"), q));
  }

  private Object answer(String user, Request r) {
    Requests.Question q = Requests.Question.from(JsonCodec.readObject(r.body()), "question");
    return JsonCodec.answer(q.text(), retriever.answer(user, id(r, "collectionId"), q));
  }

  private static HttpRoutes.Handler handler(int status, Action action) {
    return request -> {
      try {
        Object result = action.run(user(request), request);
        return status == 204
            ? new Response(204, "application/json", new byte[0])
            : Response.json(status, JsonCodec.write(result));
      } catch (RagException e) {
        int code = status(e.reason());
        return Response.json(code, JsonCodec.write(JsonCodec.error(e, code)));
      }
    };
  }

  /** The one place a refusal's reason becomes an HTTP status. */
  static int status(RagException.Reason reason) {
    return switch (reason) {
      case UNAUTHENTICATED -> 401;
      case BAD_REQUEST -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case CONFIG_INVALID -> 503;
    };
  }

  private static String user(Request request) {
    return request
        .user()
        .map(UserInfo::id)
        .orElseThrow(
            () ->
                new RagException(
                    RagException.Reason.UNAUTHENTICATED,
                    "rag-retrieval needs an authenticated user"));
  }

  /** A numeric path id; anything else names nothing that exists. */
  private static long id(Request request, String name) {
    String value = request.pathParams().get(name);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new RagException(
          RagException.Reason.NOT_FOUND,
          (name.equals("collectionId") ? "collection [" : "document [")
              + value
              + "] does not exist");
    }
  }
}
